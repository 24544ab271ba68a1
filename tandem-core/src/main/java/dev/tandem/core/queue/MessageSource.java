package dev.tandem.core.queue;

/**
 * What a consumer attaches to and settles deliveries with: a classic {@link Queue}, or a reader of
 * a stream. The protocol edge holds deliveries by {@code (source, offset)} and sends acks, rejects
 * and requeues back here.
 *
 * <p>Implementations are thread-safe; consumers are called as {@link QueueConsumer} describes.
 */
public interface MessageSource {
  /** The queue's or stream's name. */
  String name();

  /**
   * Adds a consumer unless exclusivity forbids it.
   *
   * @return false, adding nothing, when exclusivity forbids it
   */
  boolean tryAddConsumer(QueueConsumer consumer, boolean exclusive);

  /** Removes a consumer; its unacked deliveries stay unacked until settled. */
  void removeConsumer(QueueConsumer consumer);

  /** Pushes messages to consumers with capacity. Call when a consumer regains capacity. */
  void dispatch();

  /** Acknowledges a delivered message. Returns false when it was not unacked here. */
  boolean ack(long offset);

  /** Rejects a delivered message without requeueing it. Returns false when it was not unacked. */
  boolean reject(long offset);

  /** Returns an unacked message for redelivery. Returns false when it was not unacked. */
  boolean requeue(long offset);
}
