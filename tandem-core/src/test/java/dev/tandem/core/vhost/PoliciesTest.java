package dev.tandem.core.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tandem.core.queue.QueueOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Policies as RabbitMQ resolves them against a queue's own arguments (checked beside RabbitMQ 3.10
 * with the same policy and declarations): the lower length limit or TTL holds, the queue's own
 * overflow and dead-lettering hold, and only the highest-priority matching policy applies.
 */
class PoliciesTest {
  private static final Policies.Policy LIMITS =
      new Policies.Policy(
          "limits",
          "^pol\\.",
          "queues",
          1,
          Map.of(
              "max-length", 2L,
              "message-ttl", 600_000L,
              "overflow", "reject-publish",
              "dead-letter-exchange", "policy-dlx",
              "ha-mode", "all"));

  private static Map<String, Object> arguments(
      Policies policies, String queue, Map<String, Object> own) {
    return policies.arguments(queue, new QueueOptions(true, false, false, own));
  }

  @Test
  void shouldKeepTheLowerLimitAndTheQueuesOwnOverflowAndDeadLetterExchange() {
    Policies policies = new Policies(List.of(LIMITS));
    assertThat(arguments(policies, "pol.a", Map.of("x-max-length", 5L)))
        .containsEntry("x-max-length", 2L);
    assertThat(arguments(policies, "pol.b", Map.of("x-max-length", 1L, "x-message-ttl", 1000L)))
        .containsEntry("x-max-length", 1L)
        .containsEntry("x-message-ttl", 1000L);
    assertThat(
            arguments(
                policies,
                "pol.c",
                Map.of("x-overflow", "drop-head", "x-dead-letter-exchange", "own-dlx")))
        .containsEntry("x-overflow", "drop-head")
        .containsEntry("x-dead-letter-exchange", "own-dlx");
    assertThat(arguments(policies, "pol.d", Map.of()))
        .containsOnly(
            entry("x-max-length", 2L),
            entry("x-message-ttl", 600_000L),
            entry("x-overflow", "reject-publish"),
            entry("x-dead-letter-exchange", "policy-dlx"));
    assertThat(arguments(policies, "other.pol.x", Map.of()))
        .as("the pattern is a regular expression over the name")
        .isEmpty();
    assertThat(LIMITS.ignoredKeys()).containsExactly("ha-mode");
    Policies deliveries =
        new Policies(
            List.of(
                new Policies.Policy("dl", "^q", "quorum_queues", 0, Map.of("delivery-limit", 1L))));
    assertThat(
            arguments(deliveries, "q1", Map.of("x-queue-type", "quorum", "x-delivery-limit", 5L)))
        .as("RabbitMQ 3.10 delivered twice under this policy, not six times")
        .containsEntry("x-delivery-limit", 1L);
  }

  @Test
  void shouldApplyOnlyTheHighestPriorityPolicyThatTakesTheQueuesType() {
    Policies policies =
        new Policies(
            List.of(
                new Policies.Policy("low", "q", "all", 0, Map.of("max-length", 10L)),
                new Policies.Policy("high", "q", "queues", 5, Map.of("expires", 60_000L)),
                new Policies.Policy(
                    "quorum", "q", "quorum_queues", 9, Map.of("max-length-bytes", 100L)),
                new Policies.Policy("exchanges", "q", "exchanges", 20, Map.of("max-length", 1L))));
    assertThat(arguments(policies, "q1", Map.of())).containsOnly(entry("x-expires", 60_000L));
    assertThat(arguments(policies, "q2", Map.of("x-queue-type", "quorum")))
        .containsOnly(entry("x-queue-type", "quorum"), entry("x-max-length-bytes", 100L));
  }

  @Test
  void shouldNameAlternateExchangeOfExchangesItsPolicyMatches() {
    Policies policies =
        new Policies(
            List.of(
                new Policies.Policy(
                    "ae", "^orders", "exchanges", 1, Map.of("alternate-exchange", "unrouted")),
                new Policies.Policy("queues", "^orders", "queues", 9, Map.of("max-length", 1L))));
    assertThat(policies.alternateExchange("orders.in")).isEqualTo("unrouted");
    assertThat(policies.alternateExchange("other")).isNull();
    assertThat(Policies.NONE.alternateExchange("orders.in")).isNull();
  }

  @Test
  void shouldRefuseBadPatternsAndApplyTo() {
    assertThatThrownBy(() -> new Policies.Policy("p", "[", "all", 0, Map.of()))
        .hasMessageStartingWith("policy 'p': pattern '['");
    assertThatThrownBy(() -> new Policies.Policy("p", ".*", "topics", 0, Map.of()))
        .hasMessageContaining("not 'topics'");
  }
}
