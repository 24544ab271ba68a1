package dev.tandem.core.queue;

/**
 * A message of a queue, ready or waiting for its ack. Immutable.
 *
 * @param offset its offset in the queue's log, which names it until it is acked
 * @param message the message
 * @param redelivered whether it may have been delivered before
 * @param size what it takes in memory, counted against the queue's window: body and properties
 * @param returns how often it came back unacknowledged (requeued, or its consumer went) since the
 *     broker started
 */
record QueuedMessage(long offset, Message message, boolean redelivered, int size, int returns) {
  QueuedMessage(long offset, Message message, boolean redelivered) {
    this(offset, message, redelivered, message.body().length + message.properties().length, 0);
  }

  /** The same message, to be delivered again. */
  QueuedMessage requeued() {
    return new QueuedMessage(offset, message, true, size, returns + 1);
  }
}
