package dev.tandem.core.vhost;

import static dev.tandem.core.vhost.VhostException.Reason.COMMAND_INVALID;
import static dev.tandem.core.vhost.VhostException.Reason.PRECONDITION_FAILED;

import dev.tandem.core.delay.DelayHeader;
import dev.tandem.core.delay.DelayTarget;
import dev.tandem.core.delay.DelayedMessages;
import dev.tandem.core.delay.ReleaseSink;
import dev.tandem.core.exchange.Exchange;
import dev.tandem.core.exchange.ExchangeType;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.Queue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Delayed delivery in one vhost, as RabbitMQ's delayed-message exchange plugin does it: a publish
 * to an {@code x-delayed-message} exchange whose {@code x-delay} header asks for a delay (see
 * {@link DelayHeader}) is held in the vhost's {@link DelayedMessages} instead of routed; when it is
 * due it is published to that exchange again, with {@code x-delay} negated in its decoded headers
 * so that it is not held twice, and routed by the exchange's {@code x-delayed-type} against the
 * bindings as they are then (alternate exchange included). An exchange deleted meanwhile drops it.
 * Messages held for a queue are enqueued there directly; a queue deleted meanwhile drops them.
 *
 * <p>Thread-safe: holds no state of its own; releases run on the data directory's timer thread.
 */
final class DelayedDelivery implements ReleaseSink {
  private static final CompletableFuture<Boolean> DROPPED =
      CompletableFuture.completedFuture(false);

  private final Vhost vhost;
  private final DelayedMessages store;
  private final Function<String, Queue> queues;

  DelayedDelivery(Vhost vhost, DelayedMessages store, Function<String, Queue> queues) {
    this.vhost = vhost;
    this.store = store;
    this.queues = queues;
  }

  /**
   * Refuses an x-delayed-message declaration without a usable {@code x-delayed-type}, with the
   * plugin's reply: 406 when it is missing or not a string (or names x-delayed-message itself), 503
   * when it names a type that does not exist, as RabbitMQ's own type check answers.
   */
  static void checkDeclaration(ExchangeType type, Map<String, Object> arguments) {
    if (type != ExchangeType.DELAYED_MESSAGE || type.routingType(arguments).isPresent()) {
      return;
    }
    Object named = arguments.get(ExchangeType.DELAYED_TYPE);
    if (named instanceof String name && ExchangeType.fromWireName(name).isEmpty()) {
      throw new VhostException(COMMAND_INVALID, "unknown exchange type '" + name + "'");
    }
    throw new VhostException(
        PRECONDITION_FAILED,
        "Invalid argument, '" + ExchangeType.DELAYED_TYPE + "' must be an existing exchange type");
  }

  /** Starts releasing what is held; overdue messages go at once. */
  void start() {
    store.start(this);
  }

  /**
   * Holds a publish to a delayed-message exchange that asks for a delay.
   *
   * @return the outcome (held, stored once safely held), or null when it is to be routed now
   */
  Vhost.Routed maybeHold(String exchangeName, Message message) {
    if (exchangeName.isEmpty()) {
      return null;
    }
    Exchange exchange = vhost.exchange(exchangeName);
    long delay = exchange.delays() ? DelayHeader.millis(message.headers()) : 0;
    if (delay == 0) {
      return null;
    }
    long dueAt = System.currentTimeMillis() + delay;
    return new Vhost.Routed(
        List.of(), List.of(), store.hold(DelayTarget.exchange(exchangeName), message, dueAt), true);
  }

  CompletableFuture<Void> holdForQueue(Queue queue, Message message, long dueAt) {
    return store.hold(DelayTarget.queue(queue.name()), message, dueAt);
  }

  @Override
  public CompletableFuture<Boolean> onDue(DelayTarget target, Message message) {
    if (target.kind() == DelayTarget.Kind.QUEUE) {
      Queue queue = queues.apply(target.name());
      return queue == null ? DROPPED : reached(queue.publish(message));
    }
    Message released =
        new Message(
            message.exchange(),
            message.routingKey(),
            message.properties(),
            DelayHeader.released(message.headers()),
            message.body(),
            message.persistent(),
            message.expiresAt(),
            message.priority());
    Vhost.Routed routed;
    try {
      routed = vhost.publish(target.name(), released);
    } catch (VhostException e) {
      return DROPPED;
    }
    return routed.unroutable() ? DROPPED : reached(routed.stored());
  }

  private static CompletableFuture<Boolean> reached(CompletableFuture<Void> stored) {
    return stored.handle((ok, failure) -> failure == null);
  }
}
