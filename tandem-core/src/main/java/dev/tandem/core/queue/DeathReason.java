package dev.tandem.core.queue;

/** Why a queue dead-letters a message, with the name RabbitMQ writes in {@code x-death}. */
public enum DeathReason {
  /** basic.reject or basic.nack with requeue=false. */
  REJECTED("rejected"),
  /** Its TTL (per-message or the queue's x-message-ttl) passed at the head of the queue. */
  EXPIRED("expired"),
  /** Dropped by x-max-length or x-max-length-bytes (drop-head, reject-publish-dlx). */
  MAXLEN("maxlen"),
  /** Returned to a quorum queue more often than its x-delivery-limit. */
  DELIVERY_LIMIT("delivery_limit");

  private final String wireName;

  DeathReason(String wireName) {
    this.wireName = wireName;
  }

  /** The reason as RabbitMQ names it in the {@code x-death} header. */
  public String wireName() {
    return wireName;
  }
}
