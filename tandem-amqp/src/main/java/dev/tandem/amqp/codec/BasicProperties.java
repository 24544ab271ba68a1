package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.readShortString;
import static dev.tandem.amqp.codec.WireTypes.writeOctet;
import static dev.tandem.amqp.codec.WireTypes.writeShortString;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The 14 properties of class {@code basic} carried by a content header (§4.2.6.1); {@code null}
 * means absent. On the wire, a flag word says which are present, highest bit first, and the present
 * ones follow in order:
 *
 * <pre>
 *   bit 15 content-type      shortstr        bit 7 message-id   shortstr
 *       14 content-encoding  shortstr            6 timestamp    timestamp (seconds)
 *       13 headers           table               5 type         shortstr
 *       12 delivery-mode     octet               4 user-id      shortstr
 *       11 priority          octet               3 app-id       shortstr
 *       10 correlation-id    shortstr            2 cluster-id   shortstr
 *        9 reply-to          shortstr            1 (unused)
 *        8 expiration        shortstr            0 continuation: another flag word follows
 * </pre>
 *
 * <p>Continuation words may follow but must not flag a property that basic does not have; bit 1 is
 * ignored, as RabbitMQ ignores it. Immutable.
 */
public record BasicProperties(
    String contentType,
    String contentEncoding,
    FieldTable headers,
    Integer deliveryMode,
    Integer priority,
    String correlationId,
    String replyTo,
    String expiration,
    String messageId,
    Long timestamp,
    String type,
    String userId,
    String appId,
    String clusterId) {

  public static final BasicProperties EMPTY = builder().build();

  private static final int CONTINUATION = 1;

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .contentType(contentType)
        .contentEncoding(contentEncoding)
        .headers(headers)
        .deliveryMode(deliveryMode)
        .priority(priority)
        .correlationId(correlationId)
        .replyTo(replyTo)
        .expiration(expiration)
        .messageId(messageId)
        .timestamp(timestamp)
        .type(type)
        .userId(userId)
        .appId(appId)
        .clusterId(clusterId);
  }

  /**
   * Decodes property flags and list, consuming all of {@code in}.
   *
   * @throws AmqpException 501 FRAME_ERROR for truncated or trailing bytes, unknown property flags,
   *     or a malformed value
   */
  public static BasicProperties decode(ByteBuf in) {
    try {
      BasicProperties properties = read(in);
      if (in.isReadable()) {
        throw AmqpException.frameError(
            "content header has " + in.readableBytes() + " bytes after its properties");
      }
      return properties;
    } catch (IndexOutOfBoundsException e) {
      throw AmqpException.frameError("content header properties are truncated");
    }
  }

  private static BasicProperties read(ByteBuf in) {
    int flags = in.readUnsignedShort();
    for (int word = flags; (word & CONTINUATION) != 0; ) {
      word = in.readUnsignedShort();
      if ((word & ~CONTINUATION) != 0) {
        throw AmqpException.frameError("content header flags a property basic does not have");
      }
    }
    return new BasicProperties(
        has(flags, 15) ? readShortString(in) : null,
        has(flags, 14) ? readShortString(in) : null,
        has(flags, 13) ? FieldTable.read(in) : null,
        has(flags, 12) ? Integer.valueOf(in.readUnsignedByte()) : null,
        has(flags, 11) ? Integer.valueOf(in.readUnsignedByte()) : null,
        has(flags, 10) ? readShortString(in) : null,
        has(flags, 9) ? readShortString(in) : null,
        has(flags, 8) ? readShortString(in) : null,
        has(flags, 7) ? readShortString(in) : null,
        has(flags, 6) ? Long.valueOf(in.readLong()) : null,
        has(flags, 5) ? readShortString(in) : null,
        has(flags, 4) ? readShortString(in) : null,
        has(flags, 3) ? readShortString(in) : null,
        has(flags, 2) ? readShortString(in) : null);
  }

  /**
   * Decodes raw property bytes as a content header carries them; none at all are no properties.
   *
   * @throws AmqpException 501 FRAME_ERROR for malformed bytes, as {@link #decode}
   */
  public static BasicProperties fromBytes(byte[] raw) {
    return raw == null || raw.length == 0 ? EMPTY : decode(Unpooled.wrappedBuffer(raw));
  }

  /** The flag word and the present properties, as raw property bytes. */
  public byte[] toBytes() {
    ByteBuf out = Unpooled.buffer(64);
    try {
      write(out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** Writes the flag word and the present properties. */
  public void write(ByteBuf out) {
    out.writeShort(flags());
    writeIfPresent(out, contentType);
    writeIfPresent(out, contentEncoding);
    if (headers != null) {
      headers.write(out);
    }
    if (deliveryMode != null) {
      writeOctet(out, deliveryMode);
    }
    if (priority != null) {
      writeOctet(out, priority);
    }
    writeIfPresent(out, correlationId);
    writeIfPresent(out, replyTo);
    writeIfPresent(out, expiration);
    writeIfPresent(out, messageId);
    if (timestamp != null) {
      out.writeLong(timestamp);
    }
    writeIfPresent(out, type);
    writeIfPresent(out, userId);
    writeIfPresent(out, appId);
    writeIfPresent(out, clusterId);
  }

  private int flags() {
    return flag(15, contentType)
        | flag(14, contentEncoding)
        | flag(13, headers)
        | flag(12, deliveryMode)
        | flag(11, priority)
        | flag(10, correlationId)
        | flag(9, replyTo)
        | flag(8, expiration)
        | flag(7, messageId)
        | flag(6, timestamp)
        | flag(5, type)
        | flag(4, userId)
        | flag(3, appId)
        | flag(2, clusterId);
  }

  private static int flag(int bit, Object property) {
    return property == null ? 0 : 1 << bit;
  }

  private static boolean has(int flags, int bit) {
    return (flags & (1 << bit)) != 0;
  }

  private static void writeIfPresent(ByteBuf out, String property) {
    if (property != null) {
      writeShortString(out, property);
    }
  }

  /** Builds properties; every property starts absent. Not thread-safe. */
  public static final class Builder {
    private String contentType;
    private String contentEncoding;
    private FieldTable headers;
    private Integer deliveryMode;
    private Integer priority;
    private String correlationId;
    private String replyTo;
    private String expiration;
    private String messageId;
    private Long timestamp;
    private String type;
    private String userId;
    private String appId;
    private String clusterId;

    private Builder() {}

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder contentEncoding(String contentEncoding) {
      this.contentEncoding = contentEncoding;
      return this;
    }

    public Builder headers(FieldTable headers) {
      this.headers = headers;
      return this;
    }

    /** 1 transient, 2 persistent. */
    public Builder deliveryMode(Integer deliveryMode) {
      this.deliveryMode = deliveryMode;
      return this;
    }

    public Builder priority(Integer priority) {
      this.priority = priority;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder replyTo(String replyTo) {
      this.replyTo = replyTo;
      return this;
    }

    /** The per-message TTL in milliseconds, as a decimal string. */
    public Builder expiration(String expiration) {
      this.expiration = expiration;
      return this;
    }

    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    /** Seconds since the epoch. */
    public Builder timestamp(Long timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder appId(String appId) {
      this.appId = appId;
      return this;
    }

    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    public BasicProperties build() {
      return new BasicProperties(
          contentType,
          contentEncoding,
          headers,
          deliveryMode,
          priority,
          correlationId,
          replyTo,
          expiration,
          messageId,
          timestamp,
          type,
          userId,
          appId,
          clusterId);
    }
  }
}
