package dev.tandem.core.vhost;

import dev.tandem.core.exchange.ArgumentTable;
import java.util.Map;

/**
 * Declaration arguments (x-arguments) as durable definitions store them, in {@link ArgumentTable}'s
 * encoding. Stateless.
 */
public final class Arguments {
  private Arguments() {}

  /**
   * The table as it reads back after a restart: integers as Long, floats as Double, text as String.
   */
  public static Map<String, Object> normalize(Map<String, Object> table) {
    return table == null || table.isEmpty() ? Map.of() : decode(encode(table));
  }

  public static byte[] encode(Map<String, Object> table) {
    return ArgumentTable.encode(table);
  }

  public static Map<String, Object> decode(byte[] encoded) {
    return ArgumentTable.decode(encoded);
  }
}
