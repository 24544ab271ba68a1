package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A content body frame (type 3): one piece of a message body, a retained slice of the bytes read
 * from the socket (no copy). The consumer owns one reference and must release it.
 */
public final class ContentBodyFrame extends DefaultByteBufHolder implements AmqpFrame {
  private final int channel;

  public ContentBodyFrame(int channel, ByteBuf body) {
    super(body);
    this.channel = channel;
  }

  @Override
  public int channel() {
    return channel;
  }

  @Override
  public ContentBodyFrame replace(ByteBuf content) {
    return new ContentBodyFrame(channel, content);
  }

  @Override
  public ContentBodyFrame retain() {
    super.retain();
    return this;
  }

  @Override
  public String toString() {
    return "ContentBodyFrame[channel=" + channel + ", bytes=" + content().readableBytes() + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContentBodyFrame that && channel == that.channel && super.equals(that);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + channel;
  }
}
