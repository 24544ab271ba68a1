package dev.tandem.amqp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MethodRegistryTest {

  @Test
  void shouldRejectAnUnknownMethodWithNotImplementedCarryingItsIds() {
    assertDecodeFails(
        new byte[] {0, 60, 0, 121},
        e -> {
          assertThat(e.replyCode()).isEqualTo(ReplyCode.NOT_IMPLEMENTED);
          assertThat(e.classId()).isEqualTo(60);
          assertThat(e.methodId()).isEqualTo(121);
        });
    assertDecodeFails(
        new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 10},
        e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.NOT_IMPLEMENTED));
  }

  @Test
  void shouldRejectAFrameWithoutMethodIdsWithFrameError() {
    assertDecodeFails(
        new byte[] {0, 60, 0}, e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR));
  }

  @Test
  void shouldRejectTruncatedArgumentsWithFrameErrorCarryingTheMethodIds() {
    // basic.ack: delivery-tag (8 bytes) and one octet of bits, cut short
    assertDecodeFails(
        new byte[] {0, 60, 0, 80, 0, 0, 0, 1},
        e -> {
          assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
          assertThat(e.getMessage()).contains("basic.ack");
          assertThat(e.classId()).isEqualTo(60);
          assertThat(e.methodId()).isEqualTo(80);
        });
  }

  @Test
  void shouldRejectTrailingBytesWithFrameError() {
    assertDecodeFails(
        new byte[] {0, 90, 0, 10, 42},
        e -> {
          assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
          assertThat(e.getMessage()).contains("tx.select").contains("1 trailing bytes");
        });
  }

  @Test
  void shouldAttributeABadFieldTableToItsMethod() {
    ByteBuf payload = Unpooled.buffer();
    payload.writeShort(50).writeShort(50).writeShort(0);
    payload.writeByte(1).writeByte('q').writeByte(0).writeByte(0);
    payload.writeInt(3).writeByte(1).writeByte('k').writeByte('?');

    assertThatThrownBy(() -> MethodRegistry.decode(payload))
        .isInstanceOfSatisfying(
            AmqpException.class,
            e -> {
              assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR);
              assertThat(e.classId()).isEqualTo(50);
              assertThat(e.methodId()).isEqualTo(50);
            });
  }

  @Test
  void shouldMarkExactlyTheFourContentBearingMethods() {
    assertThat(MethodRegistry.entries())
        .filteredOn(MethodRegistry.Entry::hasContent)
        .extracting(MethodRegistry.Entry::name)
        .containsExactly("basic.publish", "basic.return", "basic.deliver", "basic.get-ok");
  }

  @Test
  void shouldTellWhichMethodsAServerAccepts() {
    assertThat(MethodRegistry.entry(60, 40).acceptedByServer()).isTrue();
    assertThat(MethodRegistry.entry(60, 60).acceptedByServer()).isFalse();
    assertThat(MethodRegistry.entry(10, 51).acceptedByServer()).isTrue();
    assertThat(MethodRegistry.entry(10, 10).acceptedByServer()).isFalse();
    assertThat(MethodRegistry.entry(60, 999)).isNull();
    assertThat(MethodRegistry.entry(-1, 0)).isNull();
  }

  @Test
  void shouldNameMethodsAsTheSpecDoes() {
    assertThat(new BasicMethod.Publish(0, "", "", false, false).name()).isEqualTo("basic.publish");
    assertThat(ExchangeMethod.UnbindOk.INSTANCE.name()).isEqualTo("exchange.unbind-ok");
    assertThat(MethodRegistry.name(60, 999)).isEqualTo("60.999");
  }

  private static void assertDecodeFails(byte[] payload, Consumer<AmqpException> check) {
    assertThatThrownBy(() -> MethodRegistry.decode(Unpooled.wrappedBuffer(payload)))
        .isInstanceOfSatisfying(AmqpException.class, check);
  }
}
