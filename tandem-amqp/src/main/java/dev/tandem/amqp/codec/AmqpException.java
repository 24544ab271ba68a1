package dev.tandem.amqp.codec;

import java.util.Objects;

/**
 * A protocol error carrying the AMQP reply code to answer with, and the class and method ids of the
 * method that caused it (both 0 when no method is involved, as in a framing error). The one place
 * per connection that catches it turns it into {@code channel.close} or {@code connection.close}
 * according to {@link ReplyCode#scope()}.
 *
 * <p>Immutable.
 */
public final class AmqpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ReplyCode replyCode;
  private final int classId;
  private final int methodId;

  public AmqpException(ReplyCode replyCode, String message) {
    this(replyCode, message, 0, 0);
  }

  public AmqpException(ReplyCode replyCode, String message, int classId, int methodId) {
    super(message);
    this.replyCode = Objects.requireNonNull(replyCode, "replyCode");
    this.classId = classId;
    this.methodId = methodId;
  }

  /** 501 FRAME_ERROR: a frame or field that cannot be decoded. */
  public static AmqpException frameError(String message) {
    return new AmqpException(ReplyCode.FRAME_ERROR, message);
  }

  /** The same error, attributed to the method {@code classId.methodId}. */
  public AmqpException withMethod(int classId, int methodId) {
    AmqpException attributed = new AmqpException(replyCode, getMessage(), classId, methodId);
    attributed.setStackTrace(getStackTrace());
    return attributed;
  }

  public ReplyCode replyCode() {
    return replyCode;
  }

  /** The class id of the failing method, 0 if none. */
  public int classId() {
    return classId;
  }

  /** The method id of the failing method, 0 if none. */
  public int methodId() {
    return methodId;
  }

  /** The {@code reply-text} to send: {@code "FRAME_ERROR - <message>"}. */
  public String replyText() {
    return replyCode.replyText(getMessage() == null ? "" : getMessage());
  }
}
