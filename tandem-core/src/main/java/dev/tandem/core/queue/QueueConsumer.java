package dev.tandem.core.queue;

/**
 * A consumer attached to a queue, implemented by the protocol that serves it (an AMQP
 * basic.consume). The queue pushes deliveries while the consumer has capacity.
 *
 * <p>Called under the queue's lock: implementations must not block and must not call back into the
 * queue synchronously.
 */
public interface QueueConsumer {
  /** Whether the queue forgets a message once delivered (no-ack consumers). */
  boolean autoAck();

  /** Consumer priority (x-priority): higher ones get messages first while they have capacity. */
  default int priority() {
    return 0;
  }

  /** Whether one more delivery may be pushed now (prefetch not reached, channel writable). */
  boolean hasCapacity();

  void deliver(Delivery delivery);

  /**
   * The queue was deleted: this consumer is gone, and nothing more will be delivered to it (the
   * protocol may tell its client, as AMQP's consumer cancel notification does). Called once, after
   * the queue let go of its lock, possibly from another thread; must not block.
   */
  default void onQueueDeleted() {}
}
