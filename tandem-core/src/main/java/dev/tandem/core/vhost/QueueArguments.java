package dev.tandem.core.vhost;

import static dev.tandem.core.vhost.VhostException.Reason.PRECONDITION_FAILED;

import dev.tandem.core.queue.QueueOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The x-arguments of a queue declaration, as RabbitMQ knows them: each known argument's type and
 * range is checked (406 when wrong), and those whose semantics Tandem does not serve yet are
 * refused rather than accepted and ignored. Arguments it does not know are kept without effect, as
 * RabbitMQ keeps them.
 *
 * <table>
 *   <caption>Known arguments</caption>
 *   <tr><th>argument</th><th>check</th><th>served</th></tr>
 *   <tr><td>x-queue-type</td><td>classic, quorum or stream</td><td>classic; quorum as a durable
 *       classic queue (durable, not exclusive, not auto-delete, as RabbitMQ requires); stream
 *       declares a topic (see StreamArguments), never a classic queue</td></tr>
 *   <tr><td>x-queue-mode</td><td>default or lazy</td><td>yes: every queue is log-backed</td></tr>
 *   <tr><td>x-single-active-consumer</td><td>boolean</td><td>yes: only the first consumer
 *       gets deliveries; the next takes over when it goes</td></tr>
 *   <tr><td>x-quorum-initial-group-size</td><td>integer &gt; 0</td><td>yes (one node)</td></tr>
 *   <tr><td>x-message-ttl</td><td>integer 0 to 2^32-1</td><td>yes: messages expire at the
 *       head of the queue, and are dead-lettered or dropped</td></tr>
 *   <tr><td>x-expires</td><td>integer 1 to 2^32-1</td><td>yes: deleted once unused that
 *       long</td></tr>
 *   <tr><td>x-max-length, x-max-length-bytes</td><td>integer &ge; 0</td><td>yes (ready
 *       messages; bytes of bodies)</td></tr>
 *   <tr><td>x-max-in-memory-length, -bytes</td><td>integer &ge; 0</td><td>no</td></tr>
 *   <tr><td>x-overflow</td><td>drop-head, reject-publish, reject-publish-dlx</td><td>yes</td></tr>
 *   <tr><td>x-dead-letter-exchange</td><td>string</td><td>yes</td></tr>
 *   <tr><td>x-dead-letter-routing-key</td><td>string, needs x-dead-letter-exchange</td>
 *       <td>yes</td></tr>
 *   <tr><td>x-max-priority</td><td>integer 0 to 255 (RabbitMQ's MAX_SUPPORTED_PRIORITY; above it
 *       "max_value_exceeded"); not with x-queue-type quorum</td><td>yes: N + 1 levels, higher
 *       first (see Queue)</td></tr>
 * </table>
 *
 * <p>Stateless.
 */
public final class QueueArguments {
  /** RabbitMQ's largest timer value, in milliseconds. */
  static final long MAX_EXPIRY = 4_294_967_295L;

  /** Every argument RabbitMQ checks, in its order; redeclarations compare only these. */
  static final List<String> KNOWN =
      List.of(
          "x-expires",
          "x-message-ttl",
          "x-dead-letter-exchange",
          "x-dead-letter-routing-key",
          "x-max-length",
          "x-max-length-bytes",
          "x-max-in-memory-length",
          "x-max-in-memory-bytes",
          "x-max-priority",
          "x-delivery-limit",
          "x-overflow",
          "x-queue-mode",
          "x-single-active-consumer",
          "x-queue-type",
          "x-quorum-initial-group-size");

  private static final List<String> NOT_SERVED =
      List.of("x-max-in-memory-length", "x-max-in-memory-bytes");

  /** RabbitMQ's largest x-max-priority (its MAX_SUPPORTED_PRIORITY). */
  static final int MAX_PRIORITY = 255;

  private QueueArguments() {}

  /**
   * Checks a new queue's arguments and properties.
   *
   * @throws VhostException PRECONDITION_FAILED for a wrongly typed or out-of-range argument, an
   *     argument not served yet, or properties its queue type does not allow
   */
  public static void validate(String queue, String vhost, QueueOptions options) {
    Map<String, Object> args = options.arguments();
    String where = "queue '" + queue + "' in vhost '" + vhost + "'";
    for (String key : KNOWN) {
      if (args.containsKey(key)) {
        String problem = problem(key, args.get(key), args);
        if (problem != null) {
          throw new VhostException(
              PRECONDITION_FAILED, "invalid arg '" + key + "' for " + where + ": " + problem);
        }
      }
    }
    for (String key : NOT_SERVED) {
      if (args.containsKey(key)) {
        throw new VhostException(
            PRECONDITION_FAILED, "arg '" + key + "' for " + where + " is not supported yet");
      }
    }
    checkType(String.valueOf(args.getOrDefault("x-queue-type", "classic")), where, options);
  }

  private static void checkType(String type, String where, QueueOptions options) {
    if (type.equals("stream")) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "x-queue-type 'stream' for " + where + " declares a stream, not a queue");
    }
    if (type.equals("quorum")) {
      if (options.arguments().containsKey("x-max-priority")) {
        throw new VhostException(PRECONDITION_FAILED, "invalid arg 'x-max-priority' for " + where);
      }
      checkReplicatedProperties(where, options);
    } else if (options.arguments().containsKey("x-delivery-limit")) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "invalid arg 'x-delivery-limit' for " + where + " of queue type rabbit_classic_queue");
    }
  }

  /**
   * Quorum queues and streams are durable, never exclusive or auto-delete: anything else is 406
   * "invalid property", as RabbitMQ answers.
   */
  /**
   * Refuses a redeclaration whose durable, exclusive or auto_delete differs from the queue's, in
   * RabbitMQ's words.
   */
  static void checkSameProperties(
      QueueOptions have, QueueOptions asked, String queue, String vhost) {
    if (have.durable() != asked.durable()) {
      throw inequivalence("durable", queue, vhost, asked.durable(), have.durable());
    }
    if (have.exclusive() != asked.exclusive()) {
      throw inequivalence("exclusive", queue, vhost, asked.exclusive(), have.exclusive());
    }
    if (have.autoDelete() != asked.autoDelete()) {
      throw inequivalence("auto_delete", queue, vhost, asked.autoDelete(), have.autoDelete());
    }
  }

  /**
   * RabbitMQ's 406 "inequivalent arg 'A' for queue 'Q' in vhost 'V': received 'R' but current is
   * 'C'".
   */
  static VhostException inequivalence(
      String argument, String queue, String vhost, Object received, Object current) {
    return new VhostException(
        PRECONDITION_FAILED,
        "inequivalent arg '"
            + argument
            + "' for queue '"
            + queue
            + "' in vhost '"
            + vhost
            + "': received '"
            + received
            + "' but current is '"
            + current
            + "'");
  }

  static void checkReplicatedProperties(String where, QueueOptions options) {
    String property =
        options.exclusive()
            ? "exclusive"
            : options.autoDelete() ? "auto-delete" : !options.durable() ? "non-durable" : null;
    if (property != null) {
      throw new VhostException(
          PRECONDITION_FAILED, "invalid property '" + property + "' for " + where);
    }
  }

  /** Whether a redeclaration's arguments match: only known arguments count, as in RabbitMQ. */
  public static boolean equivalent(Map<String, Object> existing, Map<String, Object> requested) {
    return inequivalent(existing, requested) == null;
  }

  /** The first known argument a redeclaration does not match, or null if it matches. */
  public static String inequivalent(Map<String, Object> existing, Map<String, Object> requested) {
    for (String key : KNOWN) {
      Object have = existing.get(key);
      Object want = requested.get(key);
      if (key.equals("x-queue-type")) {
        have = have == null ? "classic" : have;
        want = want == null ? "classic" : want;
      }
      if (!Objects.equals(have, want)) {
        return key;
      }
    }
    return null;
  }

  private static String problem(String key, Object value, Map<String, Object> args) {
    return switch (key) {
      case "x-expires" -> integerIn(value, 1, MAX_EXPIRY);
      case "x-message-ttl" -> integerIn(value, 0, MAX_EXPIRY);
      case "x-max-priority" -> maxPriority(value);
      case "x-quorum-initial-group-size" -> integerIn(value, 1, Long.MAX_VALUE);
      case "x-delivery-limit" -> integerIn(value, 0, Long.MAX_VALUE);
      case "x-max-length",
          "x-max-length-bytes",
          "x-max-in-memory-length",
          "x-max-in-memory-bytes" ->
          integerIn(value, 0, Long.MAX_VALUE);
      case "x-dead-letter-exchange" -> string(value);
      case "x-dead-letter-routing-key" ->
          string(value) != null
              ? string(value)
              : args.containsKey("x-dead-letter-exchange")
                  ? null
                  : "routing_key_but_no_dlx_defined";
      case "x-overflow" -> oneOf(value, "drop-head", "reject-publish", "reject-publish-dlx");
      case "x-queue-mode" -> oneOf(value, "default", "lazy");
      case "x-queue-type" -> oneOf(value, "classic", "quorum", "stream");
      case "x-single-active-consumer" ->
          value instanceof Boolean ? null : "unacceptable_type, expected a boolean";
      default -> null;
    };
  }

  private static boolean isInteger(Object value) {
    return value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte;
  }

  private static String integerIn(Object value, long min, long max) {
    if (!isInteger(value)) {
      return "unacceptable_type, expected an integer";
    }
    long n = ((Number) value).longValue();
    if (n < 0 && min >= 0) {
      return "value_negative " + n;
    }
    if (n == 0 && min > 0) {
      return "value_zero";
    }
    return n > max ? "value_too_large " + n + " (max " + max + ")" : null;
  }

  /** As RabbitMQ checks it: a non-negative integer, at most {@link #MAX_PRIORITY}. */
  private static String maxPriority(Object value) {
    String problem = integerIn(value, 0, Long.MAX_VALUE);
    if (problem == null && ((Number) value).longValue() > MAX_PRIORITY) {
      return "max_value_exceeded " + value;
    }
    return problem;
  }

  private static String string(Object value) {
    return value instanceof String ? null : "unacceptable_type, expected a string";
  }

  private static String oneOf(Object value, String... allowed) {
    if (!(value instanceof String text)) {
      return "unacceptable_type, expected a string";
    }
    return List.of(allowed).contains(text)
        ? null
        : "'" + text + "' is not one of " + String.join(", ", allowed);
  }
}
