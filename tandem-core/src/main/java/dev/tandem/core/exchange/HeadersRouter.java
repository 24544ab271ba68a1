package dev.tandem.core.exchange;

import java.util.Map;
import java.util.Objects;

/**
 * Headers exchanges: a binding's arguments are header values to match; {@code x-match} is {@code
 * all} (the default) or {@code any}, and {@code all-with-x} / {@code any-with-x} also compare
 * arguments starting with {@code x-}, which the first two ignore, as RabbitMQ does. An argument
 * with no value (void) matches a header's presence.
 */
final class HeadersRouter extends ScanningRouter {
  @Override
  boolean matches(Binding binding, String routingKey, Map<String, Object> headers) {
    return matches(binding.arguments(), headers == null ? Map.of() : headers);
  }

  static boolean matches(Map<String, Object> arguments, Map<String, Object> headers) {
    Object mode = arguments.getOrDefault("x-match", "all");
    String match = String.valueOf(mode);
    boolean any = match.startsWith("any");
    boolean withX = match.endsWith("-with-x");
    for (Map.Entry<String, Object> argument : arguments.entrySet()) {
      String name = argument.getKey();
      if (name.equals("x-match") || (!withX && name.startsWith("x-"))) {
        continue;
      }
      boolean present = headers.containsKey(name);
      boolean equal =
          present
              && (argument.getValue() == null
                  || valueEquals(argument.getValue(), headers.get(name)));
      if (any && equal) {
        return true;
      }
      if (!any && !equal) {
        return false;
      }
    }
    return !any;
  }

  private static boolean valueEquals(Object expected, Object actual) {
    if (expected instanceof byte[] a && actual instanceof byte[] b) {
      return java.util.Arrays.equals(a, b);
    }
    if (expected instanceof Number a && actual instanceof Number b) {
      return a.longValue() == b.longValue()
          && Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    return Objects.equals(String.valueOf(expected), String.valueOf(actual));
  }
}
