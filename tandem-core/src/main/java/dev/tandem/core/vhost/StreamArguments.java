package dev.tandem.core.vhost;

import static dev.tandem.core.vhost.VhostException.Reason.PRECONDITION_FAILED;

import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a stream declared over AMQP ({@code x-queue-type: stream}) as the topic they
 * create: a stream is a topic, and RabbitMQ's stream arguments are its retention configs.
 *
 * <pre>
 *   x-max-age                         retention.ms   "7D", "12h": a count and one of Y M D h m s
 *   x-max-length-bytes                retention.bytes (per partition, as Kafka counts it)
 *   x-stream-max-segment-size-bytes   segment.bytes
 *   x-stream-partitions               the partition count (Tandem's; default 1)
 * </pre>
 *
 * {@code x-initial-cluster-size}, {@code x-queue-leader-locator} and {@code
 * x-stream-filter-size-bytes} are accepted and have no effect on one node. Any other x-argument is
 * refused, as RabbitMQ refuses arguments a stream does not take. Stateless.
 */
final class StreamArguments {
  private static final List<String> IGNORED =
      List.of("x-initial-cluster-size", "x-queue-leader-locator", "x-stream-filter-size-bytes");

  /** What a stream is: durable, neither exclusive nor auto-delete. */
  private static final QueueOptions PROPERTIES = new QueueOptions(true, false, false, Map.of());

  private StreamArguments() {}

  static boolean isStream(Map<String, Object> arguments) {
    return "stream".equals(String.valueOf(arguments.get("x-queue-type")));
  }

  /** Checks the declaration; stream queues are durable, never exclusive or auto-delete. */
  static void validate(String stream, QueueOptions options) {
    QueueArguments.checkReplicatedProperties("queue '" + stream + "' in vhost '/'", options);
    partitions(stream, options.arguments());
    configs(stream, options.arguments());
  }

  /**
   * Checks a redeclaration of an existing stream, as RabbitMQ checks one: durable, exclusive and
   * auto-delete must be as a stream's are, and each stream argument the declaration carries must
   * agree with the topic's current setting (which a Kafka client may have altered since). An
   * argument left out agrees with anything, so a declaration written before a topic's retention
   * changed keeps working.
   */
  static void checkEquivalent(Topic topic, QueueOptions options) {
    String stream = topic.name();
    QueueArguments.checkSameProperties(PROPERTIES, options, stream, Vhosts.DEFAULT);
    Map<String, Object> arguments = options.arguments();
    if (arguments.containsKey("x-stream-partitions")) {
      int partitions = partitions(stream, arguments);
      if (partitions != topic.partitions().size()) {
        throw QueueArguments.inequivalence(
            "x-stream-partitions", stream, Vhosts.DEFAULT, partitions, topic.partitions().size());
      }
    }
    Map<String, String> current = topic.config().overrides();
    Map<String, String> asked = configs(stream, arguments);
    for (Map.Entry<String, String> config : asked.entrySet()) {
      String now = current.get(config.getKey());
      if (!config.getValue().equals(now)) {
        String argument = argumentOf(config.getKey());
        throw QueueArguments.inequivalence(
            argument,
            stream,
            Vhosts.DEFAULT,
            arguments.get(argument),
            now == null ? "none" : now + " (" + config.getKey() + ")");
      }
    }
  }

  private static String argumentOf(String config) {
    return switch (config) {
      case TopicConfig.RETENTION_MS -> "x-max-age";
      case TopicConfig.RETENTION_BYTES -> "x-max-length-bytes";
      default -> "x-stream-max-segment-size-bytes";
    };
  }

  static int partitions(String stream, Map<String, Object> arguments) {
    Object value = arguments.get("x-stream-partitions");
    if (value == null) {
      return 1;
    }
    if (!(value instanceof Long count) || count < 1 || count > 100_000) {
      throw invalid("x-stream-partitions", stream, "expected an integer from 1 to 100000");
    }
    return count.intValue();
  }

  /** The topic configs the arguments set. */
  static Map<String, String> configs(String stream, Map<String, Object> arguments) {
    Map<String, String> configs = new LinkedHashMap<>();
    for (Map.Entry<String, Object> argument : arguments.entrySet()) {
      String key = argument.getKey();
      Object value = argument.getValue();
      switch (key) {
        case "x-queue-type", "x-stream-partitions" -> {}
        case "x-max-age" ->
            configs.put(TopicConfig.RETENTION_MS, Long.toString(age(stream, value)));
        case "x-max-length-bytes" ->
            configs.put(TopicConfig.RETENTION_BYTES, Long.toString(positive(key, stream, value)));
        case "x-stream-max-segment-size-bytes" -> {
          long bytes = positive(key, stream, value);
          if (bytes > Integer.MAX_VALUE) {
            throw invalid(key, stream, "at most " + Integer.MAX_VALUE + " bytes");
          }
          configs.put(TopicConfig.SEGMENT_BYTES, Long.toString(bytes));
        }
        default -> {
          if (key.startsWith("x-") && !IGNORED.contains(key)) {
            throw new VhostException(
                PRECONDITION_FAILED,
                "invalid arg '" + key + "' for queue '" + stream + "' of queue type stream");
          }
        }
      }
    }
    return configs;
  }

  private static long positive(String key, String stream, Object value) {
    if (!(value instanceof Long number) || number < 0) {
      throw invalid(key, stream, "expected a non-negative integer");
    }
    return number;
  }

  /** RabbitMQ's x-max-age: a positive count and a unit, Y(ears) M(onths) D(ays) h m s. */
  private static long age(String stream, Object value) {
    String text = String.valueOf(value);
    if (!(value instanceof String) || text.length() < 2) {
      throw invalid("x-max-age", stream, "expected a count and a unit, e.g. 7D");
    }
    long unit =
        switch (text.charAt(text.length() - 1)) {
          case 'Y' -> 365L * 24 * 3600 * 1000;
          case 'M' -> 30L * 24 * 3600 * 1000;
          case 'D' -> 24L * 3600 * 1000;
          case 'h' -> 3600L * 1000;
          case 'm' -> 60L * 1000;
          case 's' -> 1000L;
          default -> throw invalid("x-max-age", stream, "unit must be one of Y M D h m s");
        };
    String count = text.substring(0, text.length() - 1);
    if (!count.chars().allMatch(Character::isDigit) || count.length() > 9) {
      throw invalid("x-max-age", stream, "expected a count and a unit, e.g. 7D");
    }
    long amount = Long.parseLong(count);
    if (amount <= 0) {
      throw invalid("x-max-age", stream, "the count must be positive");
    }
    return amount * unit;
  }

  private static VhostException invalid(String key, String stream, String problem) {
    return new VhostException(
        PRECONDITION_FAILED,
        "invalid arg '" + key + "' for queue '" + stream + "' in vhost '/': " + problem);
  }
}
