package dev.tandem.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Binding-key matching of each exchange type, as RabbitMQ matches (AMQP 0-9-1 §3.1.3). */
class RouterTest {
  private static List<String> route(Router router, String key, Map<String, Object> headers) {
    List<String> matched = new ArrayList<>();
    router.route(key, headers, binding -> matched.add(binding.destination()));
    return matched;
  }

  private static Binding binding(String destination, String key, Map<String, Object> arguments) {
    return new Binding("x", destination, false, key, arguments);
  }

  @ParameterizedTest(name = "pattern ''{0}'' vs key ''{1}'' -> {2}")
  @CsvSource({
    "user.*, user.registered, true",
    "user.*, user, false",
    "user.*, user.a.b, false",
    "user.#, user, true",
    "user.#, user.a.b, true",
    "#, '', true",
    "#, a.b.c, true",
    "*, '', false",
    "*.b.#, a.b, true",
    "*.b.#, b, false",
    "a.#.z, a.z, true",
    "a.#.z, a.b.c.z, true",
    "a.#.z, a.b.c, false",
    "'', '', true",
    "a, a, true",
    "a, b, false"
  })
  void shouldMatchTopicPatternsAsRabbitMqDoes(String pattern, String key, boolean expected) {
    TopicRouter router = new TopicRouter();
    router.add(binding("q", pattern == null ? "" : pattern, Map.of()));
    assertThat(route(router, key == null ? "" : key, Map.of())).hasSize(expected ? 1 : 0);
  }

  @Test
  void shouldRouteDirectOnlyOnEqualKeys() {
    DirectRouter router = new DirectRouter();
    router.add(binding("a", "k", Map.of()));
    router.add(binding("b", "other", Map.of()));
    assertThat(route(router, "k", Map.of())).containsExactly("a");
    router.remove(binding("a", "k", Map.of()));
    assertThat(route(router, "k", Map.of())).isEmpty();
  }

  @Test
  void shouldRouteFanoutToEveryBindingWhateverTheKey() {
    FanoutRouter router = new FanoutRouter();
    router.add(binding("a", "", Map.of()));
    router.add(binding("b", "ignored", Map.of()));
    assertThat(route(router, "anything", Map.of())).containsExactly("a", "b");
  }

  @Test
  void shouldMatchHeadersWithAllAnyAndWithXModes() {
    HeadersRouter router = new HeadersRouter();
    router.add(binding("all", "", Map.of("x-match", "all", "format", "pdf", "type", "report")));
    router.add(binding("any", "", Map.of("x-match", "any", "format", "pdf", "type", "log")));
    router.add(binding("anyx", "", Map.of("x-match", "any-with-x", "x-tenant", "t1")));
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("x-match", "all");
    arguments.put("present", null);
    router.add(binding("void", "", arguments));

    assertThat(route(router, "", Map.of("format", "pdf", "type", "report")))
        .containsExactlyInAnyOrder("all", "any");
    assertThat(route(router, "", Map.of("type", "log"))).containsExactly("any");
    assertThat(route(router, "", Map.of("x-tenant", "t1"))).containsExactly("anyx");
    assertThat(route(router, "", Map.of("present", 1))).containsExactly("void");
  }
}
