package dev.tandem.core.topic;

/** A topic operation refused, with the reason as a domain code the protocol layers map. */
public final class TopicException extends RuntimeException {
  /** Why a topic operation was refused. */
  public enum Reason {
    UNKNOWN_TOPIC,
    TOPIC_EXISTS,
    INVALID_NAME,
    INVALID_PARTITIONS,
    INVALID_CONFIG,
    /** The name is held by something else: an AMQP exchange or queue of another kind. */
    NAME_TAKEN,
    UNKNOWN_PARTITION
  }

  private final Reason reason;

  public TopicException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
