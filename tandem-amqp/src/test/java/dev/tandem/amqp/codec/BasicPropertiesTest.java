package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Content headers with random basic properties, headers tables nesting every value type, encoded by
 * the real Java client, decode and encode again to the very same bytes.
 */
class BasicPropertiesTest {

  @Property(tries = 1000)
  void shouldEncodeContentHeadersExactlyAsTheJavaClientDoes(
      @ForAll("properties") AMQP.BasicProperties clientProperties,
      @ForAll @IntRange(min = 1, max = 65535) int channel,
      @ForAll @LongRange(min = 0) long bodySize) {
    byte[] expected = JavaClient.contentHeaderFrame(clientProperties, channel, bodySize);

    ContentHeaderFrame frame = decodeSingleFrame(expected);
    try {
      assertThat(frame.channel()).isEqualTo(channel);
      assertThat(frame.bodySize()).isEqualTo(bodySize);

      ByteBuf fromDecoded = Unpooled.buffer();
      FrameWriter.writeContentHeader(fromDecoded, channel, bodySize, frame.properties());
      assertThat(ByteBufUtil.getBytes(fromDecoded)).isEqualTo(expected);

      ByteBuf fromRaw = Unpooled.buffer();
      FrameWriter.writeContentHeader(fromRaw, channel, bodySize, frame.rawProperties());
      assertThat(ByteBufUtil.getBytes(fromRaw)).isEqualTo(expected);
    } finally {
      frame.release();
    }
  }

  @Property(tries = 300)
  void shouldDecodeEachPropertyToTheValueTheJavaClientEncoded(
      @ForAll("properties") AMQP.BasicProperties sent) {
    ContentHeaderFrame frame = decodeSingleFrame(JavaClient.contentHeaderFrame(sent, 1, 0));
    BasicProperties decoded = frame.properties();
    frame.release();

    assertThat(decoded.contentType()).isEqualTo(utf8(sent.getContentType()));
    assertThat(decoded.contentEncoding()).isEqualTo(utf8(sent.getContentEncoding()));
    assertThat(decoded.headers() == null).isEqualTo(sent.getHeaders() == null);
    assertThat(decoded.deliveryMode()).isEqualTo(sent.getDeliveryMode());
    assertThat(decoded.priority()).isEqualTo(sent.getPriority());
    assertThat(decoded.correlationId()).isEqualTo(utf8(sent.getCorrelationId()));
    assertThat(decoded.replyTo()).isEqualTo(utf8(sent.getReplyTo()));
    assertThat(decoded.expiration()).isEqualTo(utf8(sent.getExpiration()));
    assertThat(decoded.messageId()).isEqualTo(utf8(sent.getMessageId()));
    assertThat(decoded.timestamp())
        .isEqualTo(sent.getTimestamp() == null ? null : sent.getTimestamp().getTime() / 1000);
    assertThat(decoded.type()).isEqualTo(utf8(sent.getType()));
    assertThat(decoded.userId()).isEqualTo(utf8(sent.getUserId()));
    assertThat(decoded.appId()).isEqualTo(utf8(sent.getAppId()));
    assertThat(decoded.clusterId()).isEqualTo(utf8(sent.getClusterId()));
  }

  @Example
  void shouldDecodeEveryHeaderValueTypeTheJavaClientWrites() {
    AMQP.BasicProperties sent =
        new AMQP.BasicProperties.Builder()
            .headers(
                Map.of(
                    "string",
                    "text",
                    "int",
                    7,
                    "long",
                    8L,
                    "bool",
                    true,
                    "table",
                    Map.of("nested", java.util.List.of(1, "two", false))))
            .deliveryMode(2)
            .build();

    ContentHeaderFrame frame = decodeSingleFrame(JavaClient.contentHeaderFrame(sent, 1, 10));
    FieldTable headers = frame.properties().headers();
    frame.release();

    assertThat(((FieldValue.StringValue) headers.get("string")).asString()).isEqualTo("text");
    assertThat(headers.get("int")).isEqualTo(new FieldValue.IntValue(7));
    assertThat(headers.get("long")).isEqualTo(new FieldValue.LongValue(8));
    assertThat(headers.get("bool")).isEqualTo(new FieldValue.BooleanValue(true));
    FieldTable nested = ((FieldValue.TableValue) headers.get("table")).value();
    assertThat(nested.get("nested"))
        .isEqualTo(
            FieldValue.array(
                FieldValue.int32(1), FieldValue.string("two"), FieldValue.bool(false)));
  }

  @Example
  void shouldOmitAbsentPropertiesFromTheFlagWord() {
    ByteBuf out = Unpooled.buffer();
    BasicProperties.builder().deliveryMode(2).build().write(out);

    assertThat(ByteBufUtil.getBytes(out)).containsExactly(0x10, 0x00, 2);
  }

  @Example
  void shouldAcceptAnEmptyContinuationWord() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x01, 0x00, 0x00, 1, 'x'});

    assertThat(BasicProperties.decode(in).contentType()).isEqualTo("x");
  }

  @Example
  void shouldRejectAContinuationWordFlaggingUnknownProperties() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {0x00, 0x01, (byte) 0x80, 0x00, 0});

    assertThatThrownBy(() -> BasicProperties.decode(in))
        .isInstanceOfSatisfying(
            AmqpException.class, e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR));
  }

  @Example
  void shouldRejectTruncatedAndTrailingPropertyBytes() {
    ByteBuf truncated = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x00, 5, 'a'});
    ByteBuf trailing = Unpooled.wrappedBuffer(new byte[] {0x00, 0x00, 42});

    assertThatThrownBy(() -> BasicProperties.decode(truncated))
        .isInstanceOfSatisfying(
            AmqpException.class, e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR))
        .hasMessageContaining("runs past the end of the frame");
    assertThatThrownBy(() -> BasicProperties.decode(trailing))
        .isInstanceOf(AmqpException.class)
        .hasMessageContaining("after its properties");
  }

  @Example
  void shouldRebuildThePropertiesFromABuilder() {
    BasicProperties properties =
        BasicProperties.builder().contentType("text/plain").timestamp(1L).appId("app").build();

    assertThat(properties.toBuilder().build()).isEqualTo(properties);
  }

  @Provide
  Arbitrary<AMQP.BasicProperties> properties() {
    return ClientValues.basicProperties();
  }

  private static ContentHeaderFrame decodeSingleFrame(byte[] frame) {
    EmbeddedChannel channel = new EmbeddedChannel(new AmqpFrameDecoder(false));
    channel.writeInbound(Unpooled.wrappedBuffer(frame));
    Object decoded = channel.readInbound();
    assertThat(channel.finish()).isFalse();
    assertThat(decoded).isInstanceOf(ContentHeaderFrame.class);
    return (ContentHeaderFrame) decoded;
  }

  private static String utf8(String text) {
    return text == null
        ? null
        : new String(
            text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8);
  }
}
