package dev.tandem.core.queue;

/**
 * One message handed to a consumer or to basic.get.
 *
 * @param source the queue or stream it came from; acks and rejects go back to it with {@code
 *     offset}
 * @param offset its offset in the queue's log (unique within the queue), or the reader's delivery
 *     number
 * @param message the message
 * @param redelivered whether it may have been delivered before
 * @param messageCount messages left ready in the queue (for basic.get-ok)
 * @param deliveryCount how often it came back unacknowledged before, for queues that count that
 *     (quorum queues: AMQP's {@code x-delivery-count}); -1 for the others
 */
public record Delivery(
    MessageSource source,
    long offset,
    Message message,
    boolean redelivered,
    long messageCount,
    int deliveryCount) {
  /** A delivery from a source that does not count deliveries. */
  public Delivery(
      MessageSource source, long offset, Message message, boolean redelivered, long messageCount) {
    this(source, offset, message, redelivered, messageCount, -1);
  }
}
