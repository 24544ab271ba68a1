package dev.tandem.core.producer;

/** An idempotent producer's batch refused for its producer id, epoch or sequence. */
public final class ProducerException extends RuntimeException {
  /** Why the batch was refused. */
  public enum Reason {
    /** The sequence does not follow the last one written for this producer and partition. */
    OUT_OF_ORDER_SEQUENCE,
    /** A newer epoch of this producer id has written: this one is a zombie. */
    PRODUCER_FENCED
  }

  private final Reason reason;

  public ProducerException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
