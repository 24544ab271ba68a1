package dev.tandem.amqp.codec;

import java.nio.charset.StandardCharsets;

/**
 * The reply codes of AMQP 0-9-1 (§1.8 "constants" in the spec XML, the same set as RabbitMQ's
 * {@code amqp-rabbitmq-0.9.1.json}). A soft error closes the channel it happened on ({@code
 * channel.close}); a hard error closes the whole connection ({@code connection.close}).
 *
 * <p>Immutable and thread-safe.
 */
public enum ReplyCode {
  /** Normal close: {@code connection.close} or {@code channel.close} without an error. */
  REPLY_SUCCESS(200, Scope.NONE),
  CONTENT_TOO_LARGE(311, Scope.CHANNEL),
  NO_ROUTE(312, Scope.CHANNEL),
  NO_CONSUMERS(313, Scope.CHANNEL),
  CONNECTION_FORCED(320, Scope.CONNECTION),
  INVALID_PATH(402, Scope.CONNECTION),
  ACCESS_REFUSED(403, Scope.CHANNEL),
  NOT_FOUND(404, Scope.CHANNEL),
  RESOURCE_LOCKED(405, Scope.CHANNEL),
  PRECONDITION_FAILED(406, Scope.CHANNEL),
  FRAME_ERROR(501, Scope.CONNECTION),
  SYNTAX_ERROR(502, Scope.CONNECTION),
  COMMAND_INVALID(503, Scope.CONNECTION),
  CHANNEL_ERROR(504, Scope.CONNECTION),
  UNEXPECTED_FRAME(505, Scope.CONNECTION),
  RESOURCE_ERROR(506, Scope.CONNECTION),
  NOT_ALLOWED(530, Scope.CONNECTION),
  NOT_IMPLEMENTED(540, Scope.CONNECTION),
  INTERNAL_ERROR(541, Scope.CONNECTION);

  /** What an error with this code closes. */
  public enum Scope {
    /** Not an error. */
    NONE,
    /** A soft error: only the channel is closed. */
    CHANNEL,
    /** A hard error: the connection is closed. */
    CONNECTION
  }

  private static final int MAX_SHORT_STRING = 255;

  private final int code;
  private final Scope scope;

  ReplyCode(int code, Scope scope) {
    this.code = code;
    this.scope = scope;
  }

  /** The numeric code sent in {@code reply-code}. */
  public int code() {
    return code;
  }

  /** Whether an error with this code closes the channel or the connection. */
  public Scope scope() {
    return scope;
  }

  /** A hard error: the connection must be closed with {@code connection.close}. */
  public boolean isConnectionError() {
    return scope == Scope.CONNECTION;
  }

  /** A soft error: only the channel is closed with {@code channel.close}. */
  public boolean isChannelError() {
    return scope == Scope.CHANNEL;
  }

  /**
   * The {@code reply-text} in RabbitMQ's form, {@code "NOT_FOUND - no queue 'q' in vhost '/'"}, cut
   * to the 255 bytes a short string can carry.
   */
  public String replyText(String explanation) {
    String text = explanation.isEmpty() ? name() : name() + " - " + explanation;
    return truncateToShortString(text);
  }

  /** The reply code with this numeric value, or {@code null} if the spec defines none. */
  public static ReplyCode fromCode(int code) {
    for (ReplyCode replyCode : values()) {
      if (replyCode.code == code) {
        return replyCode;
      }
    }
    return null;
  }

  private static String truncateToShortString(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_SHORT_STRING) {
      return text;
    }
    int end = MAX_SHORT_STRING;
    // Do not cut a multi-byte character: back up to the first byte of a UTF-8 sequence.
    while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }
}
