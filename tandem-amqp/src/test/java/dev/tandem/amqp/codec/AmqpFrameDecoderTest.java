package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AmqpFrameDecoderTest {
  private final AmqpFrameDecoder decoder = new AmqpFrameDecoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

  @AfterEach
  void releaseEverything() {
    channel.finishAndReleaseAll();
  }

  @Test
  void shouldDecodeTheProtocolHeaderThenFrames() {
    ByteBuf in = Unpooled.buffer();
    ProtocolHeader.AMQP_0_9_1.write(in);
    FrameWriter.writeMethod(in, 0, new ConnectionMethod.TuneOk(2047, 131072, 60));

    channel.writeInbound(in);

    assertThat(inbound())
        .containsExactly(
            ProtocolHeader.AMQP_0_9_1,
            new MethodFrame(0, new ConnectionMethod.TuneOk(2047, 131072, 60)));
  }

  @Test
  void shouldReportAnUnsupportedProtocolHeaderAndStopReading() {
    channel.writeInbound(Unpooled.copiedBuffer("AMQP\0\1\0\0", StandardCharsets.US_ASCII));
    channel.writeInbound(frames(new ChannelMethod.Open("")));

    List<Object> inbound = inbound();
    assertThat(inbound).hasSize(1);
    ProtocolHeader header = (ProtocolHeader) inbound.get(0);
    assertThat(header.isSupported()).isFalse();
    assertThat(header.isAmqp()).isTrue();
    assertThat(decoder.isFailed()).isTrue();
    assertThat(channel.config().isAutoRead()).isFalse();
  }

  @Test
  void shouldReportAnHttpRequestAsAnUnsupportedHeader() {
    channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));

    ProtocolHeader header = (ProtocolHeader) inbound().get(0);
    assertThat(header.isAmqp()).isFalse();
    assertThat(header.isSupported()).isFalse();
  }

  @Test
  void shouldDecodeFramesFedOneByteAtATime() {
    ByteBuf in = Unpooled.buffer();
    ProtocolHeader.AMQP_0_9_1.write(in);
    FrameWriter.writeMethod(in, 1, new BasicMethod.Publish(0, "amq.direct", "key", true, false));
    FrameWriter.writeContentHeader(in, 1, 3, BasicProperties.builder().deliveryMode(2).build());
    writeFrame(in, FrameDescriptor.TYPE_BODY, 1, new byte[] {'a', 'b', 'c'});
    FrameWriter.writeHeartbeat(in);

    byte[] bytes = ByteBufUtil.getBytes(in);
    List<Object> decoded = new ArrayList<>();
    for (byte b : bytes) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
      decoded.addAll(inbound());
    }

    assertThat(decoded).hasSize(5);
    assertThat(decoded.get(1))
        .isEqualTo(
            new MethodFrame(1, new BasicMethod.Publish(0, "amq.direct", "key", true, false)));
    ContentHeaderFrame header = (ContentHeaderFrame) decoded.get(2);
    assertThat(header.bodySize()).isEqualTo(3);
    assertThat(header.properties().deliveryMode()).isEqualTo(2);
    ContentBodyFrame body = (ContentBodyFrame) decoded.get(3);
    assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
    assertThat(decoded.get(4)).isEqualTo(new HeartbeatFrame(0));
    decoded.forEach(ReferenceCountUtil::release);
  }

  @Test
  void shouldDecodeSeveralFramesFromOneBuffer() {
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            protocolHeader(),
            frames(
                new ChannelMethod.Open(""),
                new BasicMethod.Qos(0, 10, false),
                new ConfirmMethod.Select(false),
                TxMethod.Select.INSTANCE)));

    assertThat(inbound())
        .containsExactly(
            ProtocolHeader.AMQP_0_9_1,
            new MethodFrame(1, new ChannelMethod.Open("")),
            new MethodFrame(1, new BasicMethod.Qos(0, 10, false)),
            new MethodFrame(1, new ConfirmMethod.Select(false)),
            new MethodFrame(1, TxMethod.Select.INSTANCE));
  }

  @Test
  void shouldRejectAFrameLongerThanFrameMaxBeforeBufferingItsPayload() {
    channel.writeInbound(protocolHeader());
    inbound();
    ByteBuf header = Unpooled.buffer();
    header.writeByte(FrameDescriptor.TYPE_BODY).writeShort(1).writeInt(4097);

    channel.writeInbound(header);

    FrameError error = (FrameError) channel.readInbound();
    assertThat(error.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
    assertThat(error.fatal()).isTrue();
    assertThat(error.channel()).isEqualTo(1);
    assertThat(error.error()).hasMessageContaining("exceeds frame-max 4096");
  }

  @Test
  void shouldStopReadingAfterAFatalFrameError() {
    decoder.frameMax(8192);
    channel.writeInbound(protocolHeader());
    inbound();
    ByteBuf oversized = Unpooled.buffer();
    oversized.writeByte(FrameDescriptor.TYPE_METHOD).writeShort(0).writeInt(0xFFFF_FFFF);

    channel.writeInbound(oversized);
    channel.writeInbound(frames(new ChannelMethod.Open("")));
    ByteBuf heartbeat = Unpooled.buffer();
    FrameWriter.writeHeartbeat(heartbeat);
    channel.writeInbound(heartbeat);

    List<Object> inbound = inbound();
    assertThat(inbound).hasSize(1).first().isInstanceOf(FrameError.class);
    assertThat(decoder.isFailed()).isTrue();
    assertThat(channel.config().isAutoRead()).isFalse();
  }

  @Test
  void shouldAcceptAFrameAsLargeAsFrameMaxAsRabbitMqDoes() {
    channel.writeInbound(protocolHeader());
    inbound();

    channel.writeInbound(frame(FrameDescriptor.TYPE_BODY, 1, new byte[4096]));

    ContentBodyFrame body = (ContentBodyFrame) channel.readInbound();
    assertThat(body.content().readableBytes()).isEqualTo(4096);
    body.release();
  }

  @Test
  void shouldAcceptLargerFramesOnceFrameMaxIsRaised() {
    channel.writeInbound(protocolHeader());
    inbound();
    decoder.frameMax(131072);

    channel.writeInbound(frame(FrameDescriptor.TYPE_BODY, 1, new byte[100_000]));

    ContentBodyFrame body = (ContentBodyFrame) channel.readInbound();
    assertThat(body.content().readableBytes()).isEqualTo(100_000);
    body.release();
  }

  @Test
  void shouldRejectABadFrameEnd() {
    ByteBuf in = frames(new ChannelMethod.Open(""));
    in.setByte(in.writerIndex() - 1, 0xCD);

    EmbeddedChannel framesOnly = new EmbeddedChannel(new AmqpFrameDecoder(false));
    framesOnly.writeInbound(in);

    FrameError error = (FrameError) framesOnly.readInbound();
    assertThat(error.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
    assertThat(error.fatal()).isTrue();
    assertThat(error.error()).hasMessageContaining("frame-end");
    assertThat(framesOnly.finishAndReleaseAll()).isFalse();
  }

  @Test
  void shouldRejectAnUnknownFrameTypeWithoutWaitingForItsPayload() {
    channel.writeInbound(protocolHeader());
    inbound();
    ByteBuf header = Unpooled.buffer();
    header.writeByte(4).writeShort(0).writeInt(10);

    channel.writeInbound(header);

    FrameError error = (FrameError) channel.readInbound();
    assertThat(error.fatal()).isTrue();
    assertThat(error.error()).hasMessageContaining("unknown frame type 4");
  }

  @Test
  void shouldDecodeHeartbeats() {
    ByteBuf in = Unpooled.buffer();
    FrameWriter.writeHeartbeat(in);
    FrameWriter.writeHeartbeat(in);

    channel.writeInbound(Unpooled.wrappedBuffer(protocolHeader(), in));

    assertThat(inbound())
        .containsExactly(ProtocolHeader.AMQP_0_9_1, new HeartbeatFrame(0), new HeartbeatFrame(0));
  }

  @Test
  void shouldReportAHeartbeatWithAPayloadAndKeepReading() {
    ByteBuf in = Unpooled.buffer();
    writeFrame(in, FrameDescriptor.TYPE_HEARTBEAT, 0, new byte[] {1});
    FrameWriter.writeHeartbeat(in);

    channel.writeInbound(Unpooled.wrappedBuffer(protocolHeader(), in));

    List<Object> inbound = inbound();
    assertThat(inbound).hasSize(3);
    FrameError error = (FrameError) inbound.get(1);
    assertThat(error.fatal()).isFalse();
    assertThat(error.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
    assertThat(inbound.get(2)).isEqualTo(new HeartbeatFrame(0));
  }

  @Test
  void shouldReportAnUnknownMethodAsNotImplementedAndKeepReading() {
    ByteBuf in = Unpooled.buffer();
    writeFrame(in, FrameDescriptor.TYPE_METHOD, 3, new byte[] {0, 60, 0, 99});
    FrameWriter.writeMethod(in, 0, ConnectionMethod.CloseOk.INSTANCE);

    channel.writeInbound(Unpooled.wrappedBuffer(protocolHeader(), in));

    List<Object> inbound = inbound();
    FrameError error = (FrameError) inbound.get(1);
    assertThat(error.fatal()).isFalse();
    assertThat(error.channel()).isEqualTo(3);
    assertThat(error.replyCode()).isEqualTo(ReplyCode.NOT_IMPLEMENTED);
    assertThat(error.error().classId()).isEqualTo(60);
    assertThat(error.error().methodId()).isEqualTo(99);
    assertThat(inbound.get(2)).isEqualTo(new MethodFrame(0, ConnectionMethod.CloseOk.INSTANCE));
  }

  @Test
  void shouldReportMalformedMethodArgumentsAsFrameError() {
    ByteBuf in = Unpooled.buffer();
    // queue.declare whose queue name claims 200 bytes but the frame ends first
    writeFrame(
        in, FrameDescriptor.TYPE_METHOD, 1, new byte[] {0, 50, 0, 10, 0, 0, (byte) 200, 'q'});

    channel.writeInbound(Unpooled.wrappedBuffer(protocolHeader(), in));

    FrameError error = (FrameError) inbound().get(1);
    assertThat(error.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
    assertThat(error.fatal()).isFalse();
    assertThat(error.error().classId()).isEqualTo(50);
    assertThat(error.error().methodId()).isEqualTo(10);
  }

  @Test
  void shouldReportAContentHeaderOfAnotherClassAsUnexpected() {
    ByteBuf payload = Unpooled.buffer();
    payload.writeShort(50).writeShort(0).writeLong(0).writeShort(0);
    ByteBuf in = Unpooled.buffer();
    writeFrame(in, FrameDescriptor.TYPE_HEADER, 1, ByteBufUtil.getBytes(payload));

    channel.writeInbound(Unpooled.wrappedBuffer(protocolHeader(), in));

    FrameError error = (FrameError) inbound().get(1);
    assertThat(error.replyCode()).isEqualTo(ReplyCode.UNEXPECTED_FRAME);
    assertThat(error.fatal()).isFalse();
  }

  @Test
  void shouldHandOutBodiesAsSlicesThatTheConsumerReleases() {
    channel.writeInbound(protocolHeader());
    inbound();
    ByteBuf in = frame(FrameDescriptor.TYPE_BODY, 1, new byte[] {1, 2, 3});

    channel.writeInbound(in);
    ContentBodyFrame body = (ContentBodyFrame) channel.readInbound();

    assertThat(body.refCnt()).isEqualTo(1);
    assertThat(body.release()).isTrue();
    assertThat(in.refCnt()).isZero();
  }

  private List<Object> inbound() {
    List<Object> messages = new ArrayList<>();
    for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
      messages.add(message);
    }
    return messages;
  }

  static ByteBuf protocolHeader() {
    ByteBuf header = Unpooled.buffer(ProtocolHeader.LENGTH);
    ProtocolHeader.AMQP_0_9_1.write(header);
    return header;
  }

  /** Method frames on channel 1, one after another. */
  static ByteBuf frames(AmqpMethod... methods) {
    ByteBuf out = Unpooled.buffer();
    for (AmqpMethod method : methods) {
      FrameWriter.writeMethod(out, 1, method);
    }
    return out;
  }

  static ByteBuf frame(int type, int channel, byte[] payload) {
    ByteBuf out = Unpooled.buffer();
    writeFrame(out, type, channel, payload);
    return out;
  }

  static void writeFrame(ByteBuf out, int type, int channel, byte[] payload) {
    out.writeByte(type).writeShort(channel).writeInt(payload.length);
    out.writeBytes(payload).writeByte(FrameDescriptor.FRAME_END);
  }
}
