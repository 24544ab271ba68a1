package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AccessMethod;
import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.AmqpMethod;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ChannelMethod;
import dev.tandem.amqp.codec.ConfirmMethod;
import dev.tandem.amqp.codec.ContentBodyFrame;
import dev.tandem.amqp.codec.ContentHeaderFrame;
import dev.tandem.amqp.codec.ExchangeMethod;
import dev.tandem.amqp.codec.MethodRegistry;
import dev.tandem.amqp.codec.QueueMethod;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.amqp.codec.TxMethod;
import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.MessageSource;
import dev.tandem.core.vhost.VhostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One AMQP channel (§2.2.5): its state machine, and the dispatch of its methods to the handlers of
 * each method group ({@link ExchangeMethods}, {@link QueueMethods}, {@link BasicPublish}, {@link
 * BasicConsume}, {@link BasicGet}, {@link BasicAck}, {@link Transaction}, confirm.select here).
 * Handlers decode, call core, encode; errors are thrown as {@link AmqpException}s (or core's
 * refusals) and turned into channel.close or connection.close by the connection's error boundary.
 *
 * <pre>
 *   OPEN ── channel.close from client ───────────────> (close-ok sent) CLOSED
 *     └──── error: channel.close sent ──> CLOSING ── close-ok / close ──> CLOSED
 * </pre>
 *
 * In CLOSING everything but channel.close and close-ok is ignored (§2.2.5, as RabbitMQ does).
 * Leaving OPEN releases the channel: its consumers leave their queues and its unacknowledged
 * deliveries are requeued, marked redelivered.
 *
 * <p>Deliveries cross threads: a queue calls {@link ChannelConsumer#deliver} under its own lock on
 * whatever thread published or acked; the delivery is handed to the connection's event loop with
 * {@link ChannelHost#execute}, where {@link #onDelivery} assigns the delivery tag and writes it.
 * Tasks run in submission order, so a channel's deliveries keep their queue's order.
 *
 * <p>Not thread-safe except where noted: it lives on its connection's event loop.
 */
public final class AmqpChannel {
  /** What settling an unacknowledged delivery does to it. */
  enum Settle {
    ACK,
    REQUEUE,
    /** Rejected without requeue: dead-lettered if the queue has a DLX, else dropped. */
    DISCARD
  }

  private enum State {
    OPEN,
    CLOSING,
    CLOSED
  }

  private static final int PUBLISH_CLASS = BasicMethod.CLASS_ID;
  private static final int PUBLISH_METHOD = BasicMethod.Publish.METHOD_ID;

  private final int id;
  private final ChannelHost host;
  private final ContentAssembler content;
  private final UnackedDeliveries unacked = new UnackedDeliveries();
  private final Map<String, ChannelConsumer> consumers = new LinkedHashMap<>();
  private final Prefetch prefetch = new Prefetch();
  private ReplyQueue replyQueue;
  private final PublisherConfirms confirms;
  private final Transaction transaction;
  private final ExchangeMethods exchangeMethods;
  private final QueueMethods queueMethods;
  private final BasicPublish publishing;
  private final BasicConsume consuming;
  private final BasicGet getting;
  private final BasicAck acking;
  private State state = State.OPEN;
  private volatile boolean open = true;
  private volatile boolean flowActive = true;
  private long nextDeliveryTag = 1;
  private final ConcurrentLinkedQueue<HandedOver> handedOver = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private String lastQueue = "";

  public AmqpChannel(int id, ChannelHost host) {
    this.id = id;
    this.host = host;
    this.content = new ContentAssembler(id, host.settings().maxMessageSize());
    this.confirms = new PublisherConfirms(this::send, task -> host.execute(id, task));
    this.transaction = new Transaction(this);
    this.exchangeMethods = new ExchangeMethods(this);
    this.queueMethods = new QueueMethods(this);
    this.publishing = new BasicPublish(this);
    this.consuming = new BasicConsume(this);
    this.getting = new BasicGet(this);
    this.acking = new BasicAck(this);
  }

  public int id() {
    return id;
  }

  /** Whether the channel is done: the connection forgets it and its number may be reused. */
  public boolean isClosed() {
    return state == State.CLOSED;
  }

  /** A method frame for this channel. */
  public void onMethod(AmqpMethod method) {
    if (state != State.OPEN) {
      onMethodWhileClosing(method);
      return;
    }
    if (content.inProgress()) {
      throw new AmqpException(ReplyCode.UNEXPECTED_FRAME, content.unexpectedMethod());
    }
    if (!MethodRegistry.entry(method.classId(), method.methodId()).acceptedByServer()) {
      throw new AmqpException(ReplyCode.COMMAND_INVALID, "unimplemented method");
    }
    if (transaction.committing()) {
      throw new AmqpException(
          ReplyCode.CHANNEL_ERROR, "unexpected command while processing 'tx.commit'");
    }
    dispatch(method);
  }

  private void dispatch(AmqpMethod method) {
    if (method instanceof BasicMethod basic) {
      onBasic(basic);
    } else if (method instanceof ExchangeMethod exchange) {
      exchangeMethods.on(exchange);
    } else if (method instanceof QueueMethod queue) {
      queueMethods.on(queue);
    } else if (method instanceof ChannelMethod channel) {
      onChannelMethod(channel);
    } else if (method instanceof ConfirmMethod.Select select) {
      onConfirmSelect(select);
    } else if (method instanceof TxMethod tx) {
      transaction.on(tx);
    } else if (method instanceof AccessMethod.Request) {
      send(new AccessMethod.RequestOk(1));
    } else {
      throw new AmqpException(ReplyCode.COMMAND_INVALID, "unimplemented method");
    }
  }

  private void onBasic(BasicMethod method) {
    if (method instanceof BasicMethod.Publish publish) {
      publishing.onPublish(publish);
    } else if (method instanceof BasicMethod.Ack
        || method instanceof BasicMethod.Nack
        || method instanceof BasicMethod.Reject
        || method instanceof BasicMethod.Recover
        || method instanceof BasicMethod.RecoverAsync) {
      acking.on(method);
    } else if (method instanceof BasicMethod.Get get) {
      getting.onGet(get);
    } else if (method instanceof BasicMethod.Qos qos) {
      if (prefetch.onQos(qos)) {
        resumeConsumers();
      }
      send(BasicMethod.QosOk.INSTANCE);
    } else {
      consuming.on(method);
    }
  }

  private void onChannelMethod(ChannelMethod method) {
    if (method instanceof ChannelMethod.Close) {
      release();
      state = State.CLOSED;
      host.send(id, ChannelMethod.CloseOk.INSTANCE);
    } else if (method instanceof ChannelMethod.Flow flow) {
      flowActive = flow.active();
      send(new ChannelMethod.FlowOk(flow.active()));
      if (flow.active()) {
        resumeConsumers();
      }
    } else if (method instanceof ChannelMethod.Open) {
      throw new AmqpException(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen");
    } else if (!(method instanceof ChannelMethod.FlowOk)) {
      throw new AmqpException(ReplyCode.COMMAND_INVALID, "unimplemented method");
    }
  }

  private void onMethodWhileClosing(AmqpMethod method) {
    if (method instanceof ChannelMethod.CloseOk) {
      state = State.CLOSED;
    } else if (method instanceof ChannelMethod.Close) {
      host.send(id, ChannelMethod.CloseOk.INSTANCE);
      state = State.CLOSED;
    }
  }

  private void onConfirmSelect(ConfirmMethod.Select select) {
    if (transaction.active()) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "cannot switch from tx to confirm mode");
    }
    confirms.enable();
    if (!select.noWait()) {
      send(ConfirmMethod.SelectOk.INSTANCE);
    }
  }

  /** A content header frame for this channel. */
  public void onContentHeader(ContentHeaderFrame header) {
    if (state == State.OPEN) {
      onPublication(content.onHeader(header));
    }
  }

  /** A content body frame for this channel. */
  public void onContentBody(ContentBodyFrame body) {
    if (state == State.OPEN) {
      onPublication(content.onBody(body));
    }
  }

  /** Handles a complete publication; its errors name basic.publish, as RabbitMQ's do. */
  private void onPublication(Publication publication) {
    if (publication == null) {
      return;
    }
    try {
      publishing.onPublication(publication);
    } catch (AmqpException e) {
      throw e.classId() == 0 ? e.withMethod(PUBLISH_CLASS, PUBLISH_METHOD) : e;
    } catch (VhostException e) {
      throw CoreErrors.toAmqp(e).withMethod(PUBLISH_CLASS, PUBLISH_METHOD);
    }
  }

  /**
   * Closes the channel for a soft error (§1.5.2.5): releases it, sends channel.close with the
   * error's code and waits for close-ok. A soft error on a channel already closing (from a task
   * that completed late) is dropped.
   *
   * @return whether the channel was open and is now closing
   */
  public boolean closeWithError(AmqpException error) {
    if (state != State.OPEN) {
      return false;
    }
    release();
    state = State.CLOSING;
    host.send(
        id,
        new ChannelMethod.Close(
            error.replyCode().code(), error.replyText(), error.classId(), error.methodId()));
    return true;
  }

  /**
   * Releases what the channel holds: its consumers leave their queues (an auto-delete queue that
   * loses its last consumer goes), its unacknowledged deliveries are requeued, transaction and
   * confirms are dropped. Deliveries already handed to the event loop are requeued when they
   * arrive. Called when the channel closes and when its connection goes.
   */
  public void release() {
    if (!open) {
      return;
    }
    open = false;
    List<ChannelConsumer> gone = new ArrayList<>(consumers.values());
    consumers.clear();
    for (ChannelConsumer consumer : gone) {
      consumer.detach();
      consumer.source().removeConsumer(consumer);
    }
    settle(unacked.takeAll(), Settle.REQUEUE);
    transaction.discard();
    confirms.close();
    content.reset();
    for (ChannelConsumer consumer : gone) {
      host.vhost().onConsumerGone(consumer.source());
    }
  }

  /** After a batch of reads: writes the confirms that completed meanwhile. */
  public void afterRead() {
    confirms.flush();
  }

  /** Lets starved consumers take deliveries again (writability, drained backlog, flow, acks). */
  public void resumeConsumers() {
    if (!consumers.isEmpty()) {
      for (ChannelConsumer consumer : List.copyOf(consumers.values())) {
        consumer.maybeResume();
      }
    }
  }

  /** Whether deliveries may be handed over now. Thread-safe. */
  boolean acceptsDeliveries() {
    return open && flowActive && host.isWritable() && host.backlog().hasRoom();
  }

  /** Hands a delivery to the event loop (any thread, under the queue's lock). */
  /**
   * Hands a delivery from a queue's thread to the event loop. Deliveries wait in one queue per
   * channel, drained by one task however many arrive meanwhile: per-channel order is kept and the
   * event loop is woken once per burst, not once per message.
   */
  void schedule(ChannelConsumer consumer, Delivery delivery) {
    host.backlog().onScheduled();
    handedOver.add(new HandedOver(consumer, delivery));
    if (drainScheduled.compareAndSet(false, true)) {
      host.execute(id, this::drainHandedOver);
    }
  }

  private void drainHandedOver() {
    drainScheduled.set(false);
    HandedOver next;
    while ((next = handedOver.poll()) != null) {
      onDelivery(next.consumer(), next.delivery());
    }
  }

  /** A delivery on its way from a queue to this channel's event loop. */
  private record HandedOver(ChannelConsumer consumer, Delivery delivery) {}

  private void onDelivery(ChannelConsumer consumer, Delivery delivery) {
    host.backlog().onDone();
    if (!open || consumers.get(consumer.tag()) != consumer) {
      if (!consumer.autoAck()) {
        consumer.onSettled();
        delivery.source().requeue(delivery.offset());
      }
      return;
    }
    long tag = nextDeliveryTag++;
    if (!consumer.autoAck()) {
      unacked.add(
          new Unacked(tag, delivery.source(), delivery.offset(), consumer, System.nanoTime()));
    }
    Message message = delivery.message();
    host.sendCommand(
        id,
        new BasicMethod.Deliver(
            consumer.tag(), tag, delivery.redelivered(), message.exchange(), message.routingKey()),
        BareProperties.forDelivery(delivery),
        message.body());
    host.metrics().onDelivered();
  }

  /** The consumer's queue was deleted (any thread): forget it and tell the client if it asked. */
  void onQueueDeleted(ChannelConsumer consumer) {
    host.execute(
        id,
        () -> {
          if (open && consumers.get(consumer.tag()) == consumer) {
            consumers.remove(consumer.tag());
            if (host.consumerCancelNotify()) {
              send(new BasicMethod.Cancel(consumer.tag(), true));
            }
          }
        });
  }

  /** Settles deliveries taken from {@link #unacked()}. */
  void settle(List<Unacked> deliveries, Settle outcome) {
    if (deliveries.isEmpty()) {
      return;
    }
    for (Unacked delivery : deliveries) {
      MessageSource queue = delivery.queue();
      switch (outcome) {
        case REQUEUE -> queue.requeue(delivery.offset());
        case DISCARD -> queue.reject(delivery.offset());
        case ACK -> queue.ack(delivery.offset());
      }
      if (delivery.consumer() != null) {
        delivery.consumer().onSettled();
      }
    }
    resumeConsumers();
  }

  /** Writes a method on this channel while it is open; nothing once it is closing. */
  void send(AmqpMethod method) {
    if (state == State.OPEN) {
      host.send(id, method);
    }
  }

  /** Writes a content-bearing method on this channel while it is open. */
  void sendCommand(AmqpMethod method, byte[] rawProperties, byte[] body) {
    if (state == State.OPEN) {
      host.sendCommand(id, method, rawProperties, body);
    }
  }

  long nextDeliveryTag() {
    return nextDeliveryTag++;
  }

  /**
   * The queue a method names: an empty name means the channel's most recently declared queue, as in
   * RabbitMQ (404 if there is none).
   */
  String resolveQueue(String name) {
    if (!name.isEmpty()) {
      return name;
    }
    if (lastQueue.isEmpty()) {
      throw new AmqpException(ReplyCode.NOT_FOUND, "no previously declared queue");
    }
    return lastQueue;
  }

  String lastQueue() {
    return lastQueue;
  }

  void lastQueue(String queue) {
    lastQueue = queue;
  }

  ChannelHost host() {
    return host;
  }

  ContentAssembler content() {
    return content;
  }

  /**
   * RabbitMQ's consumer timeout: a delivery left unacknowledged for longer than {@code
   * timeoutMillis} is a 406 channel error, and the channel's deliveries go back to their queues as
   * it closes. Event loop.
   *
   * @param now {@link System#nanoTime()} of the check
   */
  public void checkAcknowledgementTimeout(long now, long timeoutMillis) {
    OptionalLong oldest = unacked.oldestDeliveredAt();
    if (oldest.isPresent()
        && now - oldest.getAsLong() > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "delivery acknowledgement on channel "
              + id
              + " timed out. Timeout value used: "
              + timeoutMillis
              + " ms. This timeout value can be configured, see consumers doc guide to learn"
              + " more");
    }
  }

  UnackedDeliveries unacked() {
    return unacked;
  }

  Map<String, ChannelConsumer> consumers() {
    return consumers;
  }

  /** The channel's direct reply-to queue, if it consumed amq.rabbitmq.reply-to; else null. */
  ReplyQueue replyQueue() {
    return replyQueue;
  }

  void replyQueue(ReplyQueue queue) {
    this.replyQueue = queue;
  }

  Prefetch prefetch() {
    return prefetch;
  }

  PublisherConfirms confirms() {
    return confirms;
  }

  Transaction transaction() {
    return transaction;
  }

  BasicPublish publishing() {
    return publishing;
  }
}
