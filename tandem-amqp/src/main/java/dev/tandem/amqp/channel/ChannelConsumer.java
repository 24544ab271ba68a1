package dev.tandem.amqp.channel;

import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.MessageSource;
import dev.tandem.core.queue.QueueConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A basic.consume: the {@link QueueConsumer} a queue pushes to. The queue calls it under its own
 * lock from whatever thread published or acked; {@link #deliver} only counts and hands the delivery
 * to the channel's event loop, where the delivery tag is assigned and the frames written, so that a
 * channel's deliveries and tags keep their order.
 *
 * <p>Capacity: no more while the consumer is detached, the channel is closed or flow-stopped, the
 * socket is not writable, the connection's {@link DeliveryBacklog} is full, or (unless no-ack) the
 * consumer's or the channel's prefetch is reached. Whenever it reports none it marks itself
 * starved; whatever restores capacity (an ack, writability, flow, qos, a drained backlog) calls
 * {@link #maybeResume()}, which dispatches the queue again only for a starved consumer. The flag is
 * set before capacity is checked again, and capacity is restored before the flag is read, so one of
 * the two sides always sees the other and no wake-up is lost.
 *
 * <p>Thread-safe as described.
 */
final class ChannelConsumer implements QueueConsumer {
  private final AmqpChannel channel;
  private final String tag;
  private final MessageSource queue;
  private final boolean noAck;
  private final int priority;
  private final int prefetch;
  private final AtomicInteger unacked = new AtomicInteger();
  private final AtomicBoolean starved = new AtomicBoolean();
  private volatile boolean attached = true;

  ChannelConsumer(
      AmqpChannel channel,
      String tag,
      MessageSource queue,
      boolean noAck,
      int priority,
      int prefetch) {
    this.channel = channel;
    this.tag = tag;
    this.queue = queue;
    this.noAck = noAck;
    this.priority = priority;
    this.prefetch = prefetch;
  }

  String tag() {
    return tag;
  }

  MessageSource source() {
    return queue;
  }

  @Override
  public boolean autoAck() {
    return noAck;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public boolean hasCapacity() {
    if (capacity()) {
      return true;
    }
    starved.set(true);
    if (capacity()) {
      starved.set(false);
      return true;
    }
    return false;
  }

  private boolean capacity() {
    return attached
        && channel.acceptsDeliveries()
        && (noAck
            || ((prefetch == 0 || unacked.get() < prefetch) && channel.prefetch().allowsAnother()));
  }

  @Override
  public void deliver(Delivery delivery) {
    if (!noAck) {
      unacked.incrementAndGet();
      channel.prefetch().onDelivered();
    }
    channel.schedule(this, delivery);
  }

  @Override
  public void onQueueDeleted() {
    attached = false;
    channel.onQueueDeleted(this);
  }

  /** A delivery of this consumer was acked, rejected or requeued (event loop). */
  void onSettled() {
    unacked.decrementAndGet();
    channel.prefetch().onSettled();
  }

  /** Stops further deliveries; ones already handed over still arrive. */
  void detach() {
    attached = false;
  }

  /** Dispatches the queue again if this consumer turned a delivery down (event loop). */
  void maybeResume() {
    if (attached && starved.getAndSet(false)) {
      queue.dispatch();
    }
  }
}
