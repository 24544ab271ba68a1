package dev.tandem.core.exchange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of argument tables (declaration and binding arguments, x-arguments). Unlike {@link
 * Map#copyOf}, a copy keeps null values: AMQP's void field value is one, and a headers binding uses
 * it to match a header's presence. Stateless.
 */
public final class ArgumentTable {
  private ArgumentTable() {}

  /** An unmodifiable copy in iteration order, null values kept; empty for null. */
  public static Map<String, Object> copyOf(Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
  }
}
