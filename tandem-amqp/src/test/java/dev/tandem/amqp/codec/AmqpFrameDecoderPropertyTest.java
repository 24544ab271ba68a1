package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes arrive, the decoder emits only protocol headers, frames and typed frame errors: it
 * never throws, never allocates from an unchecked length, and stops after a fatal error.
 */
class AmqpFrameDecoderPropertyTest {

  @Property(tries = 1000)
  void shouldAnswerRandomBytesOnlyWithFramesOrTypedErrors(
      @ForAll @Size(max = 3000) byte[] bytes,
      @ForAll boolean expectProtocolHeader,
      @ForAll @IntRange(min = 1, max = 700) int chunkSize) {
    List<Object> decoded = decode(new AmqpFrameDecoder(expectProtocolHeader), bytes, chunkSize);

    assertOnlyFramesAndTypedErrors(decoded);
  }

  @Property(tries = 1000)
  void shouldAnswerWellDelimitedFramesWithRandomPayloadsWithFramesOrTypedErrors(
      @ForAll("frameTypes") int type,
      @ForAll @IntRange(max = 65535) int channel,
      @ForAll("payloads") byte[] payload) {
    ByteBuf in = Unpooled.buffer();
    AmqpFrameDecoderTest.writeFrame(in, type, channel, payload);

    List<Object> decoded = decode(new AmqpFrameDecoder(false), ByteBufUtil.getBytes(in), 4096);

    assertOnlyFramesAndTypedErrors(decoded);
    assertThat(decoded).hasSize(1);
    if (decoded.get(0) instanceof FrameError error) {
      assertThat(error.fatal()).isFalse();
    }
  }

  @Property(tries = 200)
  void shouldAnswerCorruptedClientFramesWithFramesOrTypedErrors(
      @ForAll("corruptedClientFrames") byte[] bytes,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    assertOnlyFramesAndTypedErrors(decode(new AmqpFrameDecoder(false), bytes, chunk));
  }

  @Property(tries = 200)
  void shouldRejectAnyDeclaredSizeAboveFrameMaxFromTheFrameHeaderAlone(
      @ForAll @LongRange(min = 4097, max = 0xFFFF_FFFFL) long size) {
    ByteBuf header = Unpooled.buffer();
    header.writeByte(FrameDescriptor.TYPE_BODY).writeShort(1).writeInt((int) size);

    List<Object> decoded = decode(new AmqpFrameDecoder(false), ByteBufUtil.getBytes(header), 7);

    assertThat(decoded)
        .singleElement()
        .isInstanceOfSatisfying(FrameError.class, e -> assertThat(e.fatal()).isTrue());
  }

  @Property(tries = 200)
  void shouldDecodeTheSameFramesHoweverTheStreamIsSplit(
      @ForAll("clientFrameStreams") byte[] stream, @ForAll @IntRange(min = 1, max = 97) int chunk) {
    List<String> whole = new ArrayList<>();
    List<String> split = new ArrayList<>();
    List<Object> frames = decode(new AmqpFrameDecoder(false), stream, stream.length, whole);
    decode(new AmqpFrameDecoder(false), stream, chunk, split);

    assertThat(split).isEqualTo(whole);
    assertThat(frames).hasSize(5).allMatch(m -> m instanceof AmqpFrame);
  }

  @Provide
  Arbitrary<Integer> frameTypes() {
    return Arbitraries.of(
        FrameDescriptor.TYPE_METHOD,
        FrameDescriptor.TYPE_HEADER,
        FrameDescriptor.TYPE_BODY,
        FrameDescriptor.TYPE_HEARTBEAT);
  }

  /** Random payloads, often starting with a real class and method id or content header. */
  @Provide
  Arbitrary<byte[]> payloads() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
    Arbitrary<byte[]> afterKnownMethod =
        Combinators.combine(
                Arbitraries.of(MethodRegistry.entries()),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
            .as(
                (entry, arguments) -> {
                  ByteBuf out = Unpooled.buffer();
                  out.writeShort(entry.classId())
                      .writeShort(entry.methodId())
                      .writeBytes(arguments);
                  return ByteBufUtil.getBytes(out);
                });
    Arbitrary<byte[]> afterContentHeader =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(
                rest -> {
                  ByteBuf out = Unpooled.buffer();
                  out.writeShort(60).writeShort(0).writeLong(rest.length).writeBytes(rest);
                  return ByteBufUtil.getBytes(out);
                });
    return Arbitraries.oneOf(random, afterKnownMethod, afterContentHeader);
  }

  /** Frames the real client writes, with a few bytes overwritten at random. */
  @Provide
  Arbitrary<byte[]> corruptedClientFrames() {
    return Combinators.combine(
            clientFrameStreams(),
            Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.bytes().list().ofSize(4))
        .as(
            (stream, positions, values) -> {
              byte[] corrupted = stream.clone();
              for (int i = 0; i < positions.size(); i++) {
                corrupted[positions.get(i) % corrupted.length] = values.get(i);
              }
              return corrupted;
            });
  }

  /** A few frames the real client writes: methods with tables, a content header, a body. */
  @Provide
  Arbitrary<byte[]> clientFrameStreams() {
    return Combinators.combine(
            ClientValues.tables(2),
            ClientValues.shortStrings(),
            ClientValues.basicProperties(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(500))
        .as(
            (arguments, name, properties, body) -> {
              ByteBuf out = Unpooled.buffer();
              out.writeBytes(
                  JavaClient.methodFrame(
                      new AMQImpl.Queue.Declare(
                          0, name, false, true, false, false, false, arguments),
                      1));
              out.writeBytes(
                  JavaClient.methodFrame(new AMQImpl.Basic.Publish(0, "", name, true, false), 1));
              out.writeBytes(JavaClient.contentHeaderFrame(properties, 1, body.length));
              out.writeBytes(JavaClient.bodyFrame(1, body));
              out.writeBytes(JavaClient.methodFrame(new AMQImpl.Channel.Close(200, "", 0, 0), 1));
              return ByteBufUtil.getBytes(out);
            });
  }

  private static List<Object> decode(AmqpFrameDecoder decoder, byte[] bytes, int chunkSize) {
    return decode(decoder, bytes, chunkSize, null);
  }

  /**
   * Decodes in chunks; when {@code descriptions} is given, describes each message with its bytes
   * before releasing it.
   */
  private static List<Object> decode(
      AmqpFrameDecoder decoder, byte[] bytes, int chunkSize, List<String> descriptions) {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    List<Object> decoded = new ArrayList<>();
    try {
      for (int offset = 0; offset < bytes.length; offset += chunkSize) {
        int length = Math.min(chunkSize, bytes.length - offset);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, length));
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
          decoded.add(m);
          if (descriptions != null) {
            descriptions.add(describe(m));
          }
        }
      }
      channel.checkException();
      if (decoder.isFailed()) {
        assertThat(channel.config().isAutoRead()).isFalse();
      }
      return decoded;
    } finally {
      channel.finishAndReleaseAll();
      decoded.forEach(ReferenceCountUtil::release);
    }
  }

  private static String describe(Object message) {
    if (message instanceof ByteBufHolder holder) {
      // one bulk read: paranoid leak detection records a trace for every single-byte access
      return message + ByteBufUtil.hexDump(ByteBufUtil.getBytes(holder.content()));
    }
    return message.toString();
  }

  private static void assertOnlyFramesAndTypedErrors(List<Object> decoded) {
    boolean failed = false;
    for (Object message : decoded) {
      assertThat(failed).as("nothing after a fatal error").isFalse();
      assertThat(message).isInstanceOfAny(ProtocolHeader.class, AmqpFrame.class, FrameError.class);
      if (message instanceof FrameError error) {
        assertThat(error.replyCode())
            .isIn(ReplyCode.FRAME_ERROR, ReplyCode.NOT_IMPLEMENTED, ReplyCode.UNEXPECTED_FRAME);
        failed = error.fatal();
      }
      if (message instanceof ProtocolHeader header) {
        failed = !header.isSupported();
      }
    }
  }
}
