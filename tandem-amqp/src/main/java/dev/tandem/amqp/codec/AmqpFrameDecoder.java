package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.FrameDescriptor.CONTENT_HEADER_FIXED_LENGTH;
import static dev.tandem.amqp.codec.FrameDescriptor.FRAME_END;
import static dev.tandem.amqp.codec.FrameDescriptor.FRAME_MIN_SIZE;
import static dev.tandem.amqp.codec.FrameDescriptor.HEADER_LENGTH;
import static dev.tandem.amqp.codec.FrameDescriptor.OVERHEAD;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the bytes from a client into, in order: one {@link ProtocolHeader} (when constructed to
 * expect one), then {@link AmqpFrame}s, with a {@link FrameError} in place of any frame it cannot
 * decode. It holds no protocol state beyond framing: which frame may come next is the connection's
 * business.
 *
 * <p>Frame size: a frame's declared payload size is checked against {@link #frameMax()} as soon as
 * the 7-byte frame header is readable, before any of the payload is buffered. As RabbitMQ does, the
 * payload may be as large as frame-max itself (clients commonly forget the 8 bytes of overhead).
 * Before {@code connection.tune-ok} the limit is the spec's minimum, 4096, which is also RabbitMQ's
 * {@code initial_frame_max}; the connection raises it with {@link #frameMax(int)} once negotiated.
 *
 * <p>Errors: an unsupported protocol header, an unknown frame type, a frame too large or a missing
 * frame-end octet lose framing: the decoder emits the header or a fatal {@link FrameError}, moves
 * to a failed state, discards all further input and turns off auto-read. A well-delimited frame
 * with a bad payload yields a non-fatal {@link FrameError} (501 FRAME_ERROR, 540 NOT_IMPLEMENTED
 * for an unknown method, 505 UNEXPECTED_FRAME for a content header that is not of class basic or
 * has a weight), and decoding goes on.
 *
 * <p>One instance per channel (not sharable); all methods run on the channel's event loop.
 */
public final class AmqpFrameDecoder extends ByteToMessageDecoder {
  private enum State {
    PROTOCOL_HEADER,
    FRAMES,
    FAILED
  }

  private State state;
  private int frameMax = FRAME_MIN_SIZE;

  /** A decoder for a server: the client's protocol header comes first. */
  public AmqpFrameDecoder() {
    this(true);
  }

  public AmqpFrameDecoder(boolean expectProtocolHeader) {
    this.state = expectProtocolHeader ? State.PROTOCOL_HEADER : State.FRAMES;
  }

  /** The largest frame accepted, overhead included. */
  public int frameMax() {
    return frameMax;
  }

  /** Sets the negotiated frame-max; at least {@link FrameDescriptor#FRAME_MIN_SIZE}. */
  public void frameMax(int frameMax) {
    if (frameMax < FRAME_MIN_SIZE) {
      throw new IllegalArgumentException("frame-max " + frameMax + " below " + FRAME_MIN_SIZE);
    }
    this.frameMax = frameMax;
  }

  /** Whether framing was lost and the decoder has stopped reading. */
  public boolean isFailed() {
    return state == State.FAILED;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case PROTOCOL_HEADER -> decodeProtocolHeader(ctx, in, out);
      case FRAMES -> decodeFrames(ctx, in, out);
      case FAILED -> in.skipBytes(in.readableBytes());
    }
  }

  private void decodeProtocolHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < ProtocolHeader.LENGTH) {
      return;
    }
    ProtocolHeader header = ProtocolHeader.read(in);
    out.add(header);
    if (header.isSupported()) {
      state = State.FRAMES;
    } else {
      fail(ctx, in);
    }
  }

  private void decodeFrames(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= HEADER_LENGTH) {
      int start = in.readerIndex();
      int type = in.getUnsignedByte(start);
      int channel = in.getUnsignedShort(start + 1);
      long size = in.getUnsignedInt(start + 3);
      if (!FrameDescriptor.isKnownType(type)) {
        failWith(ctx, in, out, channel, "unknown frame type " + type);
        return;
      }
      if (size > frameMax) {
        failWith(
            ctx, in, out, channel, "frame of " + size + " bytes exceeds frame-max " + frameMax);
        return;
      }
      if (in.readableBytes() < OVERHEAD + size) {
        return;
      }
      int payloadSize = (int) size;
      int frameEnd = in.getUnsignedByte(start + HEADER_LENGTH + payloadSize);
      if (frameEnd != FRAME_END) {
        failWith(ctx, in, out, channel, "frame-end octet is 0x" + Integer.toHexString(frameEnd));
        return;
      }
      ByteBuf payload = in.slice(start + HEADER_LENGTH, payloadSize);
      in.skipBytes(OVERHEAD + payloadSize);
      out.add(decodePayload(type, channel, payload));
    }
  }

  private static Object decodePayload(int type, int channel, ByteBuf payload) {
    try {
      return switch (type) {
        case FrameDescriptor.TYPE_METHOD ->
            new MethodFrame(channel, MethodRegistry.decode(payload));
        case FrameDescriptor.TYPE_HEADER -> decodeContentHeader(channel, payload);
        case FrameDescriptor.TYPE_BODY -> new ContentBodyFrame(channel, payload.retain());
        default -> decodeHeartbeat(channel, payload);
      };
    } catch (AmqpException e) {
      return new FrameError(channel, e, false);
    }
  }

  private static AmqpFrame decodeContentHeader(int channel, ByteBuf payload) {
    if (payload.readableBytes() < CONTENT_HEADER_FIXED_LENGTH + 2) {
      throw AmqpException.frameError(
          "content header of " + payload.readableBytes() + " bytes is truncated");
    }
    int classId = payload.readUnsignedShort();
    int weight = payload.readUnsignedShort();
    long bodySize = payload.readLong();
    if (classId != BasicMethod.CLASS_ID || weight != 0) {
      throw new AmqpException(
          ReplyCode.UNEXPECTED_FRAME,
          "content header for class " + classId + " with weight " + weight);
    }
    BasicProperties properties = BasicProperties.decode(payload.duplicate());
    return new ContentHeaderFrame(channel, classId, bodySize, properties, payload.retain());
  }

  private static AmqpFrame decodeHeartbeat(int channel, ByteBuf payload) {
    if (payload.isReadable()) {
      throw AmqpException.frameError(
          "heartbeat frame with a payload of " + payload.readableBytes() + " bytes");
    }
    return new HeartbeatFrame(channel);
  }

  private void failWith(
      ChannelHandlerContext ctx, ByteBuf in, List<Object> out, int channel, String message) {
    out.add(new FrameError(channel, AmqpException.frameError(message), true));
    fail(ctx, in);
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in) {
    state = State.FAILED;
    in.skipBytes(in.readableBytes());
    ctx.channel().config().setAutoRead(false);
  }
}
