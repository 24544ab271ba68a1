package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;

/**
 * A content header frame (type 2, §4.2.6.1) for class {@code basic}:
 *
 * <pre>
 *   +------------+-----------+--------------+--------------------------------------------+
 *   | class-id:2 | weight:2  | body-size:8  | property-flags:2 (+2 per continuation) ... |
 *   |   (60)     |   (0)     |              | property list                              |
 *   +------------+-----------+--------------+--------------------------------------------+
 *                                           \___________ rawProperties() ________________/
 * </pre>
 *
 * <p>Holds both the decoded {@link BasicProperties} and the raw property bytes (flags and list, a
 * retained slice of the frame, no copy), so that a broker can store and forward them without
 * encoding them again. The consumer owns one reference and must release it.
 */
public final class ContentHeaderFrame extends DefaultByteBufHolder implements AmqpFrame {
  private final int channel;
  private final int classId;
  private final long bodySize;
  private final BasicProperties properties;

  public ContentHeaderFrame(
      int channel, int classId, long bodySize, BasicProperties properties, ByteBuf rawProperties) {
    super(rawProperties);
    this.channel = channel;
    this.classId = classId;
    this.bodySize = bodySize;
    this.properties = Objects.requireNonNull(properties, "properties");
  }

  @Override
  public int channel() {
    return channel;
  }

  /** Always {@link BasicMethod#CLASS_ID}: the decoder refuses headers of any other class. */
  public int classId() {
    return classId;
  }

  /**
   * The total body size in bytes, as sent: an unsigned 64-bit value, so negative when it exceeds
   * {@link Long#MAX_VALUE}. The connection checks it against its maximum message size.
   */
  public long bodySize() {
    return bodySize;
  }

  public BasicProperties properties() {
    return properties;
  }

  /**
   * The property flags and property list exactly as received; same buffer as {@link #content()}.
   */
  public ByteBuf rawProperties() {
    return content();
  }

  @Override
  public ContentHeaderFrame replace(ByteBuf content) {
    return new ContentHeaderFrame(channel, classId, bodySize, properties, content);
  }

  @Override
  public ContentHeaderFrame retain() {
    super.retain();
    return this;
  }

  @Override
  public String toString() {
    return "ContentHeaderFrame[channel="
        + channel
        + ", classId="
        + classId
        + ", bodySize="
        + bodySize
        + ", properties="
        + properties
        + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContentHeaderFrame that
        && channel == that.channel
        && classId == that.classId
        && bodySize == that.bodySize
        && properties.equals(that.properties)
        && super.equals(that);
  }

  @Override
  public int hashCode() {
    return Objects.hash(channel, classId, bodySize, properties, super.hashCode());
  }
}
