package dev.tandem.core.vhost;

/** A vhost operation refused; the reason maps to an AMQP reply code at the protocol edge. */
public final class VhostException extends RuntimeException {
  /** Why an operation was refused. */
  public enum Reason {
    /** 404: the exchange or queue does not exist. */
    NOT_FOUND,
    /** 406: inequivalent redeclaration, or an if-unused / if-empty condition failed. */
    PRECONDITION_FAILED,
    /** 403: a reserved name (amq.*) or an internal exchange. */
    ACCESS_REFUSED,
    /** 405: an exclusive queue of another connection. */
    RESOURCE_LOCKED,
    /** 530: not allowed in this context. */
    NOT_ALLOWED,
    /** 503: a request that cannot be carried out at all, such as an unknown exchange type. */
    COMMAND_INVALID
  }

  private final Reason reason;

  public VhostException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
