package dev.tandem.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka request frames: a 4-byte big-endian size, then that many bytes.
 * The size is checked against {@code socket.request.max.bytes} before anything is allocated; a
 * frame that is too large or negative closes the connection, as Kafka does, and the decoder drops
 * whatever else arrives. A frame of the declared size is then allocated once and filled as bytes
 * arrive (as Kafka's NetworkReceive does), so a large produce request is copied once from the
 * socket's reads, not re-copied into a growing cumulation buffer.
 *
 * <p>One instance per channel; runs on the channel's event loop. Passes each complete frame on as a
 * {@link ByteBuf} the next handler must release.
 */
public final class KafkaFrameDecoder extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);

  private final int maxFrameBytes;
  private int sizeBytes;
  private int size;
  private ByteBuf frame;
  private boolean failed;

  public KafkaFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      while (in.isReadable() && !failed) {
        if (frame == null && !readSize(ctx, in)) {
          return;
        }
        if (frame != null) {
          frame.writeBytes(in, Math.min(frame.writableBytes(), in.readableBytes()));
          if (!frame.isWritable()) {
            ByteBuf complete = frame;
            frame = null;
            ctx.fireChannelRead(complete);
          }
        }
      }
    } finally {
      in.release();
    }
  }

  /** Reads the size field, possibly split across reads; allocates the frame once it is whole. */
  private boolean readSize(ChannelHandlerContext ctx, ByteBuf in) {
    while (sizeBytes < 4 && in.isReadable()) {
      size = (size << 8) | in.readUnsignedByte();
      sizeBytes++;
    }
    if (sizeBytes < 4) {
      return false;
    }
    sizeBytes = 0;
    if (size < 0 || size > maxFrameBytes) {
      failed = true;
      LOG.info(
          "closing Kafka connection from {}: request of {} bytes outside [0, {}] "
              + "(socket.request.max.bytes)",
          ctx.channel().remoteAddress(),
          size,
          maxFrameBytes);
      ctx.close();
      return false;
    }
    frame = ctx.alloc().directBuffer(size, size);
    size = 0;
    return true;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (frame != null) {
      frame.release();
      frame = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handlerRemoved(ctx);
    ctx.fireChannelInactive();
  }
}
