package dev.tandem.core.delay;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code x-delay} message header of RabbitMQ's delayed-message exchange plugin, read as the
 * plugin reads it: an integer of any width is taken as is, a float or decimal is truncated, a
 * string is parsed as a decimal integer (optionally signed). A delay counts only when it is in
 * 1..2^32-1 ms (Erlang's longest timer); anything else, a missing header or another type, means no
 * delay: the message is routed at once. A string that is not an integer also means no delay (the
 * plugin fails the publish on it). Stateless.
 */
public final class DelayHeader {
  public static final String NAME = "x-delay";

  /** The longest delay, in milliseconds: 2^32-1, the plugin's (and Erlang's timer) limit. */
  public static final long MAX_MILLIS = 4_294_967_295L;

  private DelayHeader() {}

  /** The delay the headers ask for, in milliseconds; 0 for none. */
  public static long millis(Map<String, Object> headers) {
    long delay = headers == null ? 0 : parse(headers.get(NAME));
    return delay > 0 && delay <= MAX_MILLIS ? delay : 0;
  }

  private static long parse(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.compareTo(BigDecimal.valueOf(MAX_MILLIS)) > 0 ? -1 : decimal.longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      return Double.isNaN(number) || number > MAX_MILLIS ? -1 : (long) number;
    }
    if (value instanceof String text && text.matches("[+-]?[0-9]{1,18}")) {
      return Long.parseLong(text);
    }
    return 0;
  }

  /**
   * The headers a released message is routed with: {@code x-delay} negated, as the plugin sets it,
   * so that routing it does not hold it again. The same map when it asks for no delay.
   */
  public static Map<String, Object> released(Map<String, Object> headers) {
    long delay = millis(headers);
    if (delay == 0) {
      return headers;
    }
    Map<String, Object> copy = new LinkedHashMap<>(headers);
    copy.put(NAME, -delay);
    return copy;
  }
}
