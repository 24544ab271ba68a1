package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.FrameDescriptor.FRAME_END;
import static dev.tandem.amqp.codec.FrameDescriptor.FRAME_MIN_SIZE;
import static dev.tandem.amqp.codec.FrameDescriptor.OVERHEAD;
import static dev.tandem.amqp.codec.FrameDescriptor.TYPE_BODY;
import static dev.tandem.amqp.codec.FrameDescriptor.TYPE_HEADER;
import static dev.tandem.amqp.codec.FrameDescriptor.TYPE_HEARTBEAT;
import static dev.tandem.amqp.codec.FrameDescriptor.TYPE_METHOD;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Writes frames to a client (see {@link FrameDescriptor} for the layout): single method frames, and
 * whole commands, a content-bearing method followed by its content header and the body split into
 * frames of at most {@link #frameMax()} bytes (§4.2.6).
 *
 * <p>Bodies larger than {@link #COPY_THRESHOLD} are not copied: the command is a composite buffer
 * whose body components are retained slices of the caller's body, between small buffers holding the
 * frame headers and frame-end octets. Smaller bodies are copied, which is cheaper than a composite.
 * Either way the caller keeps its own reference to the body.
 *
 * <p>One instance per connection, used on its event loop; not thread-safe.
 */
public final class FrameWriter {
  /** Bodies up to this many bytes are copied into the command buffer rather than sliced. */
  public static final int COPY_THRESHOLD = 512;

  private int frameMax = FRAME_MIN_SIZE;

  /** The largest frame written, overhead included. */
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

  /** Writes one method frame. */
  public static void writeMethod(ByteBuf out, int channel, AmqpMethod method) {
    int sizeIndex = beginFrame(out, TYPE_METHOD, channel);
    method.write(out);
    endFrame(out, sizeIndex);
  }

  /** Writes a content header frame for class basic from decoded properties. */
  public static void writeContentHeader(
      ByteBuf out, int channel, long bodySize, BasicProperties properties) {
    int sizeIndex = beginContentHeader(out, channel, bodySize);
    properties.write(out);
    endFrame(out, sizeIndex);
  }

  /**
   * Writes a content header frame for class basic from raw property bytes (flags and list, as
   * {@link ContentHeaderFrame#rawProperties()} gives them), forwarding them without re-encoding.
   * Does not change the reader index of {@code rawProperties}. No bytes at all mean no properties
   * (a message that never came from an AMQP client): an empty flag word is written.
   */
  public static void writeContentHeader(
      ByteBuf out, int channel, long bodySize, ByteBuf rawProperties) {
    int sizeIndex = beginContentHeader(out, channel, bodySize);
    if (rawProperties.isReadable()) {
      out.writeBytes(rawProperties, rawProperties.readerIndex(), rawProperties.readableBytes());
    } else {
      out.writeShort(0);
    }
    endFrame(out, sizeIndex);
  }

  /** Writes a heartbeat frame: type 8, channel 0, empty payload. */
  public static void writeHeartbeat(ByteBuf out) {
    out.writeByte(TYPE_HEARTBEAT);
    out.writeShort(0);
    out.writeInt(0);
    out.writeByte(FRAME_END);
  }

  /** Encodes a method without content into a new buffer. */
  public ByteBuf method(ByteBufAllocator alloc, int channel, AmqpMethod method) {
    ByteBuf out = alloc.buffer();
    try {
      writeMethod(out, channel, method);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /**
   * Encodes a content-bearing method, its content header and its body frames. The body's readable
   * bytes are the content; its indexes and reference count are left as they were.
   */
  public ByteBuf command(
      ByteBufAllocator alloc,
      int channel,
      AmqpMethod method,
      BasicProperties properties,
      ByteBuf body) {
    ByteBuf head = alloc.buffer();
    try {
      writeMethod(head, channel, method);
      writeContentHeader(head, channel, body.readableBytes(), properties);
    } catch (RuntimeException e) {
      head.release();
      throw e;
    }
    return withBody(alloc, head, channel, body);
  }

  /**
   * As {@link #command(ByteBufAllocator, int, AmqpMethod, BasicProperties, ByteBuf)}, forwarding
   * raw property bytes.
   */
  public ByteBuf command(
      ByteBufAllocator alloc, int channel, AmqpMethod method, ByteBuf rawProperties, ByteBuf body) {
    ByteBuf head = alloc.buffer();
    try {
      writeMethod(head, channel, method);
      writeContentHeader(head, channel, body.readableBytes(), rawProperties);
    } catch (RuntimeException e) {
      head.release();
      throw e;
    }
    return withBody(alloc, head, channel, body);
  }

  private ByteBuf withBody(ByteBufAllocator alloc, ByteBuf head, int channel, ByteBuf body) {
    int length = body.readableBytes();
    if (length <= COPY_THRESHOLD) {
      writeBodyFrames(head, channel, body);
      return head;
    }
    int maxPayload = frameMax - OVERHEAD;
    int frames = 1 + (length - 1) / maxPayload;
    CompositeByteBuf command = alloc.compositeBuffer(2 * frames + 1);
    int offset = body.readerIndex();
    int remaining = length;
    ByteBuf glue = head;
    for (int i = 0; i < frames; i++) {
      int chunk = Math.min(remaining, maxPayload);
      writeFrameHeader(glue, TYPE_BODY, channel, chunk);
      command.addComponent(true, glue);
      command.addComponent(true, body.retainedSlice(offset, chunk));
      offset += chunk;
      remaining -= chunk;
      glue = alloc.buffer(i + 1 < frames ? OVERHEAD : 1);
      glue.writeByte(FRAME_END);
    }
    command.addComponent(true, glue);
    return command;
  }

  private void writeBodyFrames(ByteBuf out, int channel, ByteBuf body) {
    int maxPayload = frameMax - OVERHEAD;
    int offset = body.readerIndex();
    int end = body.writerIndex();
    while (offset < end) {
      int chunk = Math.min(end - offset, maxPayload);
      writeFrameHeader(out, TYPE_BODY, channel, chunk);
      out.writeBytes(body, offset, chunk);
      out.writeByte(FRAME_END);
      offset += chunk;
    }
  }

  private static int beginContentHeader(ByteBuf out, int channel, long bodySize) {
    int sizeIndex = beginFrame(out, TYPE_HEADER, channel);
    out.writeShort(BasicMethod.CLASS_ID);
    out.writeShort(0);
    out.writeLong(bodySize);
    return sizeIndex;
  }

  private static void writeFrameHeader(ByteBuf out, int type, int channel, int size) {
    out.writeByte(type);
    WireTypes.writeShort(out, channel);
    out.writeInt(size);
  }

  /** Writes type and channel and a size to be filled in by {@link #endFrame}; returns its index. */
  private static int beginFrame(ByteBuf out, int type, int channel) {
    out.writeByte(type);
    WireTypes.writeShort(out, channel);
    int sizeIndex = out.writerIndex();
    out.writeInt(0);
    return sizeIndex;
  }

  private static void endFrame(ByteBuf out, int sizeIndex) {
    out.setInt(sizeIndex, out.writerIndex() - sizeIndex - 4);
    out.writeByte(FRAME_END);
  }
}
