package dev.tandem.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka request frames: a 4-byte big-endian size, then that many bytes.
 * The size is checked against {@code socket.request.max.bytes} before any byte of the frame is
 * buffered; a frame that is too large or negative closes the connection, as Kafka does, and the
 * decoder stops reading.
 *
 * <p>One instance per channel; runs on the channel's event loop.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);

  private final int maxFrameBytes;
  private boolean failed;

  public KafkaFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= 4) {
      int size = in.getInt(in.readerIndex());
      if (size < 0 || size > maxFrameBytes) {
        failed = true;
        LOG.info(
            "closing Kafka connection from {}: request of {} bytes outside [0, {}] "
                + "(socket.request.max.bytes)",
            ctx.channel().remoteAddress(),
            size,
            maxFrameBytes);
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
      if (in.readableBytes() < 4 + size) {
        return;
      }
      in.skipBytes(4);
      out.add(in.readRetainedSlice(size));
    }
  }
}
