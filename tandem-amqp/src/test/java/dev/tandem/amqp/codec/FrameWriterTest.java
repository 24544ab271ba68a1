package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
  private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private final FrameWriter writer = new FrameWriter();

  @Test
  void shouldSplitABodyIntoFramesOfAtMostFrameMax() {
    byte[] body = randomBytes(10_000);
    ByteBuf bodyBuf = Unpooled.wrappedBuffer(body);

    ByteBuf command = writer.command(ALLOC, 1, deliver(), BasicProperties.EMPTY, bodyBuf);
    List<Object> frames = decodeAll(command);

    assertThat(frames).hasSize(5);
    assertThat(((ContentHeaderFrame) frames.get(1)).bodySize()).isEqualTo(10_000);
    assertThat(bodySizes(frames)).containsExactly(4088, 4088, 1824);
    assertThat(concatenatedBody(frames)).isEqualTo(body);
    frames.forEach(ReferenceCountUtil::release);
    assertThat(bodyBuf.release()).isTrue();
  }

  @Test
  void shouldSplitByTheNegotiatedFrameMax() {
    writer.frameMax(131_072);
    ByteBuf body = Unpooled.wrappedBuffer(randomBytes(300_000));

    ByteBuf command = writer.command(ALLOC, 1, deliver(), BasicProperties.EMPTY, body);
    AmqpFrameDecoder decoder = new AmqpFrameDecoder(false);
    decoder.frameMax(131_072);
    List<Object> frames = decodeAll(decoder, command);

    assertThat(bodySizes(frames)).containsExactly(131_064, 131_064, 37_872);
    frames.forEach(ReferenceCountUtil::release);
    body.release();
  }

  @Test
  void shouldWriteNoBodyFrameForAnEmptyBody() {
    ByteBuf command =
        writer.command(ALLOC, 1, deliver(), BasicProperties.EMPTY, Unpooled.EMPTY_BUFFER);

    List<Object> frames = decodeAll(command);

    assertThat(frames).hasSize(2);
    assertThat(((ContentHeaderFrame) frames.get(1)).bodySize()).isZero();
    frames.forEach(ReferenceCountUtil::release);
  }

  @Test
  void shouldNotCopyALargeBody() {
    ByteBuf body = Unpooled.wrappedBuffer(randomBytes(5_000));

    ByteBuf command = writer.command(ALLOC, 1, deliver(), BasicProperties.EMPTY, body);
    body.setByte(0, 'X');
    body.setByte(4_999, 'Y');

    assertThat(command).isInstanceOf(CompositeByteBuf.class);
    assertThat(body.refCnt()).isEqualTo(3);
    List<Object> frames = decodeAll(command);
    byte[] sent = concatenatedBody(frames);
    assertThat(sent[0]).isEqualTo((byte) 'X');
    assertThat(sent[4_999]).isEqualTo((byte) 'Y');
    frames.forEach(ReferenceCountUtil::release);
    assertThat(body.refCnt()).isEqualTo(1);
    body.release();
  }

  @Test
  void shouldCopyASmallBodySoThatTheCallerMayReleaseIt() {
    ByteBuf body = Unpooled.wrappedBuffer(randomBytes(FrameWriter.COPY_THRESHOLD));

    ByteBuf command = writer.command(ALLOC, 1, deliver(), BasicProperties.EMPTY, body);

    assertThat(command).isNotInstanceOf(CompositeByteBuf.class);
    assertThat(body.refCnt()).isEqualTo(1);
    body.release();
    List<Object> frames = decodeAll(command);
    assertThat(bodySizes(frames)).containsExactly(FrameWriter.COPY_THRESHOLD);
    frames.forEach(ReferenceCountUtil::release);
  }

  @Test
  void shouldWriteACommandAsTheJavaClientDoes() throws Exception {
    byte[] body = randomBytes(9_000);
    AMQP.BasicProperties clientProperties =
        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(
        JavaClient.methodFrame(new AMQImpl.Basic.Publish(0, "ex", "rk", true, false), 7));
    expected.write(JavaClient.contentHeaderFrame(clientProperties, 7, body.length));
    expected.write(JavaClient.bodyFrame(7, Arrays.copyOfRange(body, 0, 4088)));
    expected.write(JavaClient.bodyFrame(7, Arrays.copyOfRange(body, 4088, 8176)));
    expected.write(JavaClient.bodyFrame(7, Arrays.copyOfRange(body, 8176, 9000)));

    ByteBuf command =
        writer.command(
            ALLOC,
            7,
            new BasicMethod.Publish(0, "ex", "rk", true, false),
            BasicProperties.builder().contentType("application/json").deliveryMode(2).build(),
            Unpooled.wrappedBuffer(body));

    assertThat(ByteBufUtil.getBytes(command)).isEqualTo(expected.toByteArray());
    command.release();
  }

  @Test
  void shouldForwardRawPropertiesUnchanged() {
    ByteBuf raw = Unpooled.buffer();
    BasicProperties.builder().messageId("m-1").priority(5).build().write(raw);
    int readerIndex = raw.readerIndex();

    ByteBuf command =
        writer.command(ALLOC, 2, deliver(), raw, Unpooled.wrappedBuffer(new byte[10]));
    List<Object> frames = decodeAll(command);

    ContentHeaderFrame header = (ContentHeaderFrame) frames.get(1);
    assertThat(ByteBufUtil.getBytes(header.rawProperties())).isEqualTo(ByteBufUtil.getBytes(raw));
    assertThat(header.properties().messageId()).isEqualTo("m-1");
    assertThat(raw.readerIndex()).isEqualTo(readerIndex);
    frames.forEach(ReferenceCountUtil::release);
  }

  @Test
  void shouldWriteAHeartbeatAsTheSpecDrawsIt() {
    ByteBuf out = Unpooled.buffer();

    FrameWriter.writeHeartbeat(out);

    assertThat(ByteBufUtil.getBytes(out)).containsExactly(8, 0, 0, 0, 0, 0, 0, 0xCE);
  }

  @Test
  void shouldRefuseAFrameMaxBelowTheSpecMinimum() {
    assertThatThrownBy(() -> writer.frameMax(4095)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AmqpFrameDecoder().frameMax(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReleaseItsBufferWhenAMethodCannotBeEncoded() {
    ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    String tooLong = "q".repeat(256);

    assertThatThrownBy(() -> writer.method(alloc, 1, new QueueMethod.Purge(0, tooLong, false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256");
  }

  private static BasicMethod.Deliver deliver() {
    return new BasicMethod.Deliver("ctag", 1, false, "ex", "rk");
  }

  private static List<Object> decodeAll(ByteBuf command) {
    return decodeAll(new AmqpFrameDecoder(false), command);
  }

  private static List<Object> decodeAll(AmqpFrameDecoder decoder, ByteBuf command) {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.writeInbound(command);
    List<Object> frames = new ArrayList<>();
    for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
      frames.add(m);
    }
    channel.finishAndReleaseAll();
    return frames;
  }

  private static List<Integer> bodySizes(List<Object> frames) {
    return frames.stream()
        .filter(ContentBodyFrame.class::isInstance)
        .map(f -> ((ContentBodyFrame) f).content().readableBytes())
        .toList();
  }

  private static byte[] concatenatedBody(List<Object> frames) {
    ByteBuf body = Unpooled.buffer();
    frames.stream()
        .filter(ContentBodyFrame.class::isInstance)
        .forEach(f -> body.writeBytes(((ContentBodyFrame) f).content().duplicate()));
    return ByteBufUtil.getBytes(body);
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new java.util.Random(length).nextBytes(bytes);
    return bytes;
  }
}
