package dev.tandem.core.exchange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Topic exchanges: keys are words separated by dots; in a binding key {@code *} matches exactly one
 * word and {@code #} zero or more, as RabbitMQ matches them (so {@code #} matches the empty routing
 * key and {@code a.#} matches {@code a}).
 */
final class TopicRouter implements Router {
  private final Map<Binding, String[]> patterns = new LinkedHashMap<>();

  @Override
  public void add(Binding binding) {
    patterns.put(binding, split(binding.key()));
  }

  @Override
  public void remove(Binding binding) {
    patterns.remove(binding);
  }

  @Override
  public Collection<Binding> bindings() {
    return new ArrayList<>(patterns.keySet());
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<Binding> matched) {
    String[] words = split(routingKey);
    patterns.forEach(
        (binding, pattern) -> {
          if (matches(pattern, 0, words, 0)) {
            matched.accept(binding);
          }
        });
  }

  static String[] split(String key) {
    return key.isEmpty() ? new String[0] : key.split("\\.", -1);
  }

  /** Whether {@code pattern[p..]} matches {@code words[w..]}. */
  static boolean matches(String[] pattern, int p, String[] words, int w) {
    while (p < pattern.length) {
      String token = pattern[p];
      if (token.equals("#")) {
        if (p == pattern.length - 1) {
          return true;
        }
        for (int skip = w; skip <= words.length; skip++) {
          if (matches(pattern, p + 1, words, skip)) {
            return true;
          }
        }
        return false;
      }
      if (w >= words.length || !(token.equals("*") || token.equals(words[w]))) {
        return false;
      }
      p++;
      w++;
    }
    return w == words.length;
  }
}
