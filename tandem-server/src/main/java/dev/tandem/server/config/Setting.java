package dev.tandem.server.config;

import dev.tandem.amqp.AmqpSettings;
import dev.tandem.core.alarm.DiskAlarm;
import dev.tandem.core.alarm.MemoryAlarm;
import dev.tandem.core.group.GroupConfig;
import dev.tandem.storage.log.LogConfig;
import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of the broker, in one place: its key in a {@code --config} file, its default, its
 * type and one line of documentation. The command line derives one flag per setting from the key
 * ({@code kafka.port} is {@code --kafka-port}), and {@code tandem --help} prints this table.
 * Storage defaults come from {@link LogConfig#DEFAULT} so the two cannot drift.
 *
 * <p>Immutable and thread-safe.
 */
public enum Setting {
  DATA_DIR(
      "data.dir",
      "./data",
      ValueType.path(),
      "Directory of every log and of the broker's state; one broker at a time may use it."),
  AMQP_PORT(
      "amqp.port", "5672", ValueType.port(), "AMQP 0-9-1 listener port; 0 picks a free port."),
  AMQP_MAX_MESSAGE_SIZE(
      "amqp.max.message.size",
      "134217728",
      ValueType.number("BYTES", "bytes", 0, 536_870_912),
      "Largest AMQP message body accepted; larger publishes are refused with 406 (RabbitMQ's max_message_size)."),
  CONSUMER_TIMEOUT(
      "consumer.timeout",
      String.valueOf(AmqpSettings.DEFAULT_CONSUMER_TIMEOUT_MILLIS),
      ValueType.number("MS", "ms", 0, Long.MAX_VALUE),
      "A delivery unacknowledged this long closes its channel with 406, its messages requeued (RabbitMQ's consumer_timeout); 0 for none."),
  LOAD_DEFINITIONS(
      "load.definitions",
      "",
      ValueType.optionalFile(),
      "RabbitMQ definitions (JSON, as rabbitmqctl export_definitions writes): users, vhosts and permissions replace guest; exchanges, queues, bindings and policies apply."),
  DISK_FREE_LIMIT(
      "disk.free.limit",
      String.valueOf(DiskAlarm.DEFAULT_FREE_LIMIT),
      ValueType.number("BYTES", "bytes", 0, Long.MAX_VALUE),
      "Below this much free space under data.dir, AMQP publishers are blocked (RabbitMQ's disk_free_limit)."),
  MEMORY_HIGH_WATERMARK(
      "memory.high.watermark",
      String.valueOf(MemoryAlarm.DEFAULT_WATERMARK),
      ValueType.fraction(),
      "Above this fraction of the maximum heap in use after GC, AMQP publishers are blocked (RabbitMQ's vm_memory_high_watermark)."),
  KAFKA_PORT(
      "kafka.port", "9092", ValueType.port(), "Kafka protocol listener port; 0 picks a free port."),
  HTTP_PORT(
      "http.port",
      "15672",
      ValueType.port(),
      "HTTP port for /api/health and Prometheus /metrics; 0 picks a free port."),
  BIND_ADDRESS(
      "bind.address",
      "0.0.0.0",
      ValueType.host(),
      "Address every listener binds to; 0.0.0.0 is every interface."),
  ADVERTISED_HOST(
      "advertised.host",
      "localhost",
      ValueType.host(),
      "Host name that Kafka clients are told to connect to."),
  LOG_DURABILITY(
      "log.durability",
      LogConfig.DEFAULT.durability().name().toLowerCase(Locale.ROOT),
      ValueType.durability(),
      "When an append counts as done: fsync (on disk, group commit), interval or never (page cache)."),
  LOG_SEGMENT_BYTES(
      "log.segment.bytes",
      String.valueOf(LogConfig.DEFAULT.segmentBytes()),
      ValueType.number("BYTES", "bytes", 1024, Integer.MAX_VALUE),
      "Roll a log's active segment when an append would make it larger than this."),
  LOG_RETENTION_MS(
      "log.retention.ms",
      String.valueOf(LogConfig.DEFAULT.retentionMs()),
      ValueType.number("MS", "ms", -1, Long.MAX_VALUE),
      "Delete segments whose newest record is older than this; -1 keeps them all."),
  LOG_RETENTION_BYTES(
      "log.retention.bytes",
      String.valueOf(LogConfig.DEFAULT.retentionBytes()),
      ValueType.number("BYTES", "bytes", -1, Long.MAX_VALUE),
      "Delete a log's oldest segments while it is larger than this; -1 keeps them all."),
  LOG_FLUSH_INTERVAL_MS(
      "log.flush.interval.ms",
      String.valueOf(LogConfig.DEFAULT.flushIntervalMs()),
      ValueType.number("MS", "ms", 1, Long.MAX_VALUE),
      "How often log.durability=interval fsyncs."),
  AUTO_CREATE_TOPICS(
      "auto.create.topics.enable",
      "true",
      ValueType.bool(),
      "Create a topic when a Kafka client asks for an unknown one (Kafka's setting of that name)."),
  NUM_PARTITIONS(
      "num.partitions",
      "1",
      ValueType.number("COUNT", "partitions", 1, 100_000),
      "Partitions of a topic created without a partition count."),
  GROUP_INITIAL_REBALANCE_DELAY_MS(
      "group.initial.rebalance.delay.ms",
      String.valueOf(GroupConfig.DEFAULTS.initialRebalanceDelayMs()),
      ValueType.number("MS", "ms", 0, 300_000),
      "How long a new consumer group waits for more members before its first rebalance (Kafka's).");

  private final String key;
  private final String defaultValue;
  private final ValueType type;
  private final String doc;

  Setting(String key, String defaultValue, ValueType type, String doc) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.type = type;
    this.doc = doc;
  }

  /** The key in a {@code --config} properties file, such as {@code kafka.port}. */
  public String key() {
    return key;
  }

  /** The command-line flag, such as {@code --kafka-port}. */
  public String flag() {
    return "--" + key.replace('.', '-');
  }

  /** The default, as text a user could write. */
  public String defaultValue() {
    return defaultValue;
  }

  public ValueType type() {
    return type;
  }

  /** One line of documentation. */
  public String doc() {
    return doc;
  }

  /**
   * The typed value of {@code raw}.
   *
   * @throws ConfigException naming this setting's key and what is wrong with the value
   */
  public Object parse(String raw) throws ConfigException {
    try {
      return type.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage());
    }
  }

  /** The setting whose key is {@code key}, if there is one. */
  public static Optional<Setting> forKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
