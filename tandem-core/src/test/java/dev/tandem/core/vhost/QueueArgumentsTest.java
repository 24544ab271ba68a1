package dev.tandem.core.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.queue.QueueOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueArgumentsTest {
  private static void validate(boolean durable, Map<String, Object> arguments) {
    QueueArguments.validate("q", "/", new QueueOptions(durable, false, false, arguments));
  }

  private static void assertRefused(Map<String, Object> arguments, String message) {
    assertThatThrownBy(() -> validate(true, arguments))
        .isInstanceOfSatisfying(
            VhostException.class,
            e -> assertThat(e.reason()).isEqualTo(VhostException.Reason.PRECONDITION_FAILED))
        .hasMessageContaining(message);
  }

  @Test
  void shouldRefuseWronglyTypedOrOutOfRangeArgumentsAsRabbitMqDoes() {
    assertRefused(Map.of("x-max-length", -1L), "invalid arg 'x-max-length'");
    assertRefused(Map.of("x-expires", 0L), "value_zero");
    assertRefused(Map.of("x-message-ttl", 1.5), "expected an integer");
    assertRefused(Map.of("x-max-priority", 256L), "max_value_exceeded 256");
    assertRefused(Map.of("x-max-priority", -1L), "value_negative");
    assertRefused(Map.of("x-max-priority", "10"), "expected an integer");
    assertRefused(Map.of("x-overflow", "drop-tail"), "invalid arg 'x-overflow'");
    assertRefused(Map.of("x-single-active-consumer", "yes"), "expected a boolean");
    assertRefused(Map.of("x-dead-letter-routing-key", "k"), "routing_key_but_no_dlx_defined");
    assertRefused(Map.of("x-queue-type", "fancy"), "invalid arg 'x-queue-type'");
  }

  @Test
  void shouldRefuseValidArgumentsWhoseSemanticsAreNotServedYet() {
    assertRefused(Map.of("x-max-in-memory-length", 10L), "is not supported yet");
    assertRefused(Map.of("x-queue-type", "stream"), "declares a stream, not a queue");
  }

  @Test
  void shouldAcceptServedAndUnknownArguments() {
    assertThatCode(
            () ->
                validate(
                    true,
                    Map.of(
                        "x-queue-type", "quorum",
                        "x-queue-mode", "lazy",
                        "x-single-active-consumer", true,
                        "x-app-specific", "kept")))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                validate(
                    false,
                    Map.of(
                        "x-dead-letter-exchange",
                        "dlx",
                        "x-dead-letter-routing-key",
                        "dead",
                        "x-max-length",
                        10L,
                        "x-max-length-bytes",
                        0L,
                        "x-overflow",
                        "reject-publish-dlx",
                        "x-expires",
                        1000L)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> validate(false, Map.of("x-queue-type", "quorum")))
        .hasMessageContaining("invalid property 'non-durable'");
  }

  @Test
  void shouldAcceptMaxPriorityFromZeroTo255AsRabbitMqDoesButNotOnQuorumQueues() {
    for (long max : new long[] {0, 1, 10, 255}) {
      assertThatCode(() -> validate(false, Map.of("x-max-priority", max)))
          .doesNotThrowAnyException();
    }
    assertRefused(
        Map.of("x-queue-type", "quorum", "x-max-priority", 10L),
        "invalid arg 'x-max-priority' for queue 'q'");
  }

  @Test
  void shouldNameTheFirstInequivalentArgument() {
    assertThat(
            QueueArguments.inequivalent(
                Map.of("x-max-priority", 10L, "x-app", 1L), Map.of("x-max-priority", 5L)))
        .isEqualTo("x-max-priority");
    assertThat(QueueArguments.inequivalent(Map.of("x-max-priority", 10L), Map.of()))
        .isEqualTo("x-max-priority");
    assertThat(
            QueueArguments.inequivalent(
                Map.of("x-max-priority", 10L), Map.of("x-max-priority", 10L)))
        .isNull();
  }

  @Test
  void shouldCompareOnlyKnownArgumentsWithClassicAsTheDefaultType() {
    assertThat(QueueArguments.equivalent(Map.of(), Map.of("x-queue-type", "classic"))).isTrue();
    assertThat(QueueArguments.equivalent(Map.of("x-app", 1L), Map.of("x-app", 2L))).isTrue();
    assertThat(QueueArguments.equivalent(Map.of(), Map.of("x-queue-type", "quorum"))).isFalse();
  }
}
