package dev.tandem.core.stream;

import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stream consumer starts: RabbitMQ's {@code x-stream-offset}, parsed as RabbitMQ parses it
 * ({@code rabbit_stream_queue:parse_offset_arg}). Immutable.
 *
 * <table>
 *   <caption>Values</caption>
 *   <tr><th>argument</th><th>start</th></tr>
 *   <tr><td>absent</td><td>{@link Kind#NEXT}</td></tr>
 *   <tr><td>{@code "first"}</td><td>the log start of each partition</td></tr>
 *   <tr><td>{@code "last"}</td><td>the last record of each partition</td></tr>
 *   <tr><td>{@code "next"}</td><td>the high watermark: only what is appended later</td></tr>
 *   <tr><td>an integer &ge; 0</td><td>that offset in each partition</td></tr>
 *   <tr><td>a timestamp (seconds)</td><td>the first record at or after it</td></tr>
 *   <tr><td>an interval {@code <n><unit>}, unit Y (365 days), M (30 days), D, h, m or s</td>
 *       <td>the first record at or after now minus the interval</td></tr>
 * </table>
 *
 * @param kind how {@code value} is meant
 * @param value the offset for {@link Kind#OFFSET}, epoch milliseconds for {@link Kind#TIMESTAMP},
 *     else 0
 */
public record StreamOffset(Kind kind, long value) {
  /** What a start names. */
  public enum Kind {
    FIRST,
    LAST,
    NEXT,
    OFFSET,
    TIMESTAMP
  }

  public static final StreamOffset FIRST = new StreamOffset(Kind.FIRST, 0);
  public static final StreamOffset LAST = new StreamOffset(Kind.LAST, 0);
  public static final StreamOffset NEXT = new StreamOffset(Kind.NEXT, 0);

  /** RabbitMQ's reasons, as its refusal shows them. */
  public static final String INVALID_MAX_AGE = "invalid_max_age";

  public static final String INVALID_OFFSET = "invalid_offset_arg";

  private static final Pattern INTERVAL = Pattern.compile("([0-9]*)(.*)");
  private static final long SECOND = 1000;
  private static final long DAY = 24 * 3600 * SECOND;

  public static StreamOffset offset(long offset) {
    return new StreamOffset(Kind.OFFSET, offset);
  }

  public static StreamOffset timestamp(long epochMillis) {
    return new StreamOffset(Kind.TIMESTAMP, epochMillis);
  }

  /**
   * Parses an {@code x-stream-offset} value as the protocol decoded it: null, a String, a Long (or
   * other integral Number) or a {@link Date}.
   *
   * @param nowMillis the clock for intervals
   * @throws IllegalArgumentException with {@link #INVALID_MAX_AGE} or {@link #INVALID_OFFSET} as
   *     its message
   */
  public static StreamOffset parse(Object value, long nowMillis) {
    if (value == null) {
      return NEXT;
    }
    if (value instanceof Date date) {
      return timestamp(date.getTime());
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      long offset = ((Number) value).longValue();
      if (offset < 0) {
        throw new IllegalArgumentException(INVALID_OFFSET);
      }
      return offset(offset);
    }
    if (value instanceof String text) {
      return switch (text) {
        case "first" -> FIRST;
        case "last" -> LAST;
        case "next" -> NEXT;
        default -> timestamp(nowMillis - interval(text));
      };
    }
    throw new IllegalArgumentException(INVALID_OFFSET);
  }

  /** An interval such as {@code 7D} in milliseconds ({@code rabbit_amqqueue:check_max_age}). */
  static long interval(String text) {
    Matcher matcher = INTERVAL.matcher(text);
    if (!matcher.matches() || matcher.group(1).isEmpty()) {
      throw new IllegalArgumentException(INVALID_MAX_AGE);
    }
    long count;
    try {
      count = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(INVALID_MAX_AGE, e);
    }
    long unit =
        switch (matcher.group(2)) {
          case "Y" -> 365 * DAY;
          case "M" -> 30 * DAY;
          case "D" -> DAY;
          case "h" -> 3600 * SECOND;
          case "m" -> 60 * SECOND;
          case "s" -> SECOND;
          default -> 0;
        };
    if (count <= 0 || unit == 0 || count > Long.MAX_VALUE / unit) {
      throw new IllegalArgumentException(INVALID_MAX_AGE);
    }
    return count * unit;
  }
}
