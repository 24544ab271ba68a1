package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class WireTypesTest {

  @Test
  void shouldWriteAShortStringOfExactly255Bytes() {
    ByteBuf out = Unpooled.buffer();
    String text = "é".repeat(127) + "a";

    WireTypes.writeShortString(out, text);

    assertThat((int) out.getUnsignedByte(0)).isEqualTo(255);
    assertThat(WireTypes.readShortString(out)).isEqualTo(text);
  }

  @Test
  void shouldRefuseToWriteAShortStringLongerThan255Bytes() {
    ByteBuf out = Unpooled.buffer();

    assertThatThrownBy(() -> WireTypes.writeShortString(out, "é".repeat(128)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 UTF-8 bytes");
  }

  @Test
  void shouldRejectMalformedUtf8InAShortStringWithFrameError() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {2, (byte) 0xC3, 0x28});

    assertThatThrownBy(() -> WireTypes.readShortString(in))
        .isInstanceOfSatisfying(
            AmqpException.class, e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR))
        .hasMessageContaining("malformed UTF-8");
  }

  @Test
  void shouldRejectAShortStringLongerThanTheFrame() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {10, 'a', 'b'});

    assertThatThrownBy(() -> WireTypes.readShortString(in))
        .isInstanceOf(AmqpException.class)
        .hasMessageContaining("runs past the end of the frame");
  }

  @Test
  void shouldWriteUnpairedSurrogatesAsQuestionMarksAsTheJavaClientDoes() {
    ByteBuf out = Unpooled.buffer();

    WireTypes.writeShortString(out, "a\uD800b");

    assertThat(ByteBufUtil.getBytes(out)).containsExactly(3, 'a', '?', 'b');
  }

  @Test
  void shouldPackBitsLeastSignificantFirstInOneOctet() {
    ByteBuf out = Unpooled.buffer();

    new QueueMethod.Declare(0, "q", false, true, false, true, false, FieldTable.EMPTY)
        .writeArguments(out);

    // ticket (2), "q" (2), then passive=0 durable=1 exclusive=0 auto-delete=1 no-wait=0
    assertThat((int) out.getUnsignedByte(4)).isEqualTo(0b01010);
  }

  @Test
  void shouldRefuseValuesThatDoNotFitTheirType() {
    ByteBuf out = Unpooled.buffer();

    assertThatThrownBy(() -> WireTypes.writeOctet(out, 256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WireTypes.writeShort(out, 65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WireTypes.writeLong(out, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WireTypes.writeShort(out, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
