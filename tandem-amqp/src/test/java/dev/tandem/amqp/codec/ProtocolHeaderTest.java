package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolHeaderTest {

  @Test
  void shouldAcceptTheAmqp091Header() {
    ProtocolHeader header = read(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1});

    assertThat(header).isEqualTo(ProtocolHeader.AMQP_0_9_1);
    assertThat(header.isSupported()).isTrue();
    assertThat(header).hasToString("AMQP 0 0 9 1");
  }

  @Test
  void shouldAcceptThe09HeaderAsRabbitMqDoes() {
    assertThat(read(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 9}).isSupported()).isTrue();
  }

  @Test
  void shouldRejectOtherVersions() {
    ProtocolHeader amqp10 = read(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
    ProtocolHeader amqp08 = read(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 8, 0});

    assertThat(amqp10.isSupported()).isFalse();
    assertThat(amqp10.isAmqp()).isTrue();
    assertThat(amqp08.isSupported()).isFalse();
  }

  @Test
  void shouldRejectBytesThatAreNotAmqp() {
    ProtocolHeader http = read("GET / HT".getBytes(StandardCharsets.US_ASCII));

    assertThat(http.isAmqp()).isFalse();
    assertThat(http.isSupported()).isFalse();
    assertThat(http.toString()).startsWith("0x474554");
  }

  @Test
  void shouldAnswerAMismatchWithTheSupportedHeader() {
    ByteBuf out = Unpooled.buffer();

    ProtocolHeader.writeSupported(out);

    assertThat(ByteBufUtil.getBytes(out)).containsExactly('A', 'M', 'Q', 'P', 0, 0, 9, 1);
  }

  private static ProtocolHeader read(byte[] bytes) {
    return ProtocolHeader.read(Unpooled.wrappedBuffer(bytes));
  }
}
