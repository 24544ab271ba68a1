package dev.tandem.amqp.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import org.junit.jupiter.api.Test;

/** The per-message TTL and the priority of published messages, as RabbitMQ reads them. */
class BasicPublishTest {
  private static final long NOW = 1_000_000;

  @Test
  void shouldExpireTheTtlAfterNow() {
    assertThat(BasicPublish.expiresAt("0", NOW)).isEqualTo(NOW);
    assertThat(BasicPublish.expiresAt("-0", NOW)).isEqualTo(NOW);
    assertThat(BasicPublish.expiresAt("60000", NOW)).isEqualTo(NOW + 60_000);
    assertThat(BasicPublish.expiresAt("4294967295", NOW)).isEqualTo(NOW + 4_294_967_295L);
    assertThat(BasicPublish.expiresAt(null, NOW)).isZero();
  }

  @Test
  void shouldRefuseAnExpirationRabbitMqWouldNotParseWithItsReason() {
    assertInvalid("soon", "no_integer");
    assertInvalid("", "no_integer");
    assertInvalid("+5", "no_integer");
    assertInvalid("12345678901234567890", "no_integer");
    assertInvalid("-1", "value_negative");
    assertInvalid("4294967296", "value_too_large");
    assertInvalid("9999999999999999999", "value_too_large");
  }

  @Test
  void shouldNeverExpireOnAnInvalidExpirationWhenAskedNotToRefuse() {
    assertThat(BasicPublish.expiresAtIfValid("60000", NOW)).isEqualTo(NOW + 60_000);
    assertThat(BasicPublish.expiresAtIfValid("9999999999999999999", NOW)).isZero();
    assertThat(BasicPublish.expiresAtIfValid("soon", NOW)).isZero();
    assertThat(BasicPublish.expiresAtIfValid(null, NOW)).isZero();
  }

  private static void assertInvalid(String expiration, String reason) {
    assertThatThrownBy(() -> BasicPublish.expiresAt(expiration, NOW))
        .isInstanceOfSatisfying(
            AmqpException.class,
            e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.PRECONDITION_FAILED))
        .hasMessageContaining("invalid expiration '" + expiration + "': " + reason);
  }

  @Test
  void shouldQueueAMessageWithoutAPriorityAtPriorityZero() {
    assertThat(BasicPublish.priority(null)).isZero();
    assertThat(BasicPublish.priority(7)).isEqualTo(7);
    assertThat(BasicPublish.priority(255)).isEqualTo(255);
  }
}
