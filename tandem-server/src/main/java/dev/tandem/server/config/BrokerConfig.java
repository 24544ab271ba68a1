package dev.tandem.server.config;

import dev.tandem.core.group.GroupConfig;
import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's settings, resolved and typed: each {@link Setting}'s default, overridden by a {@code
 * --config} file, overridden in turn by command-line flags. Every value has been checked by its
 * {@link ValueType}; what only the system can tell (a port in use, an unwritable directory) is
 * found at start-up.
 *
 * <p>Immutable and thread-safe.
 */
public final class BrokerConfig {
  private final EnumMap<Setting, Object> values;

  private BrokerConfig(EnumMap<Setting, Object> values) {
    this.values = values;
  }

  /** Every setting at its default. */
  public static BrokerConfig defaults() {
    try {
      return resolve(Map.of(), Map.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("a default does not parse: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code configFile}, if given, then applies {@code flags} over it.
   *
   * @param flags raw values from the command line, by setting
   * @throws ConfigException for an unreadable file, an unknown key or a bad value
   */
  public static BrokerConfig load(Optional<Path> configFile, Map<Setting, String> flags)
      throws ConfigException {
    Map<Setting, String> fromFile =
        configFile.isPresent() ? ConfigFile.read(configFile.get()) : Map.of();
    return resolve(fromFile, flags);
  }

  /** Defaults, then {@code lower}, then {@code higher}: the last one to name a setting wins. */
  static BrokerConfig resolve(Map<Setting, String> lower, Map<Setting, String> higher)
      throws ConfigException {
    EnumMap<Setting, Object> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String raw =
          higher.getOrDefault(setting, lower.getOrDefault(setting, setting.defaultValue()));
      values.put(setting, setting.parse(raw));
    }
    checkPortsDistinct(values);
    return new BrokerConfig(values);
  }

  private static void checkPortsDistinct(Map<Setting, Object> values) throws ConfigException {
    Setting[] ports = {Setting.HTTP_PORT, Setting.AMQP_PORT, Setting.KAFKA_PORT};
    for (int i = 0; i < ports.length; i++) {
      for (int j = i + 1; j < ports.length; j++) {
        Object port = values.get(ports[j]);
        if (!port.equals(0) && port.equals(values.get(ports[i]))) {
          throw new ConfigException(
              ports[j].key() + ": port " + port + " is also " + ports[i].key());
        }
      }
    }
  }

  public Path dataDir() {
    return (Path) values.get(Setting.DATA_DIR);
  }

  public int amqpPort() {
    return (Integer) values.get(Setting.AMQP_PORT);
  }

  /** The largest AMQP message body accepted, in bytes. */
  public long amqpMaxMessageSize() {
    return (Long) values.get(Setting.AMQP_MAX_MESSAGE_SIZE);
  }

  /** The RabbitMQ definitions file to import users, vhosts and permissions from, if any. */
  @SuppressWarnings("unchecked")
  public Optional<Path> loadDefinitions() {
    return (Optional<Path>) values.get(Setting.LOAD_DEFINITIONS);
  }

  /** How long an AMQP delivery may stay unacknowledged, in ms; 0 for no limit. */
  public long consumerTimeout() {
    return (Long) values.get(Setting.CONSUMER_TIMEOUT);
  }

  /** Free space under the data directory below which the disk alarm is raised, in bytes. */
  public long diskFreeLimit() {
    return (Long) values.get(Setting.DISK_FREE_LIMIT);
  }

  /**
   * The fraction of the maximum heap in use after collection above which the memory alarm rises.
   */
  public double memoryHighWatermark() {
    return (Double) values.get(Setting.MEMORY_HIGH_WATERMARK);
  }

  public int kafkaPort() {
    return (Integer) values.get(Setting.KAFKA_PORT);
  }

  public int httpPort() {
    return (Integer) values.get(Setting.HTTP_PORT);
  }

  public String bindAddress() {
    return (String) values.get(Setting.BIND_ADDRESS);
  }

  public String advertisedHost() {
    return (String) values.get(Setting.ADVERTISED_HOST);
  }

  /** The storage settings, as the defaults of every log. */
  public LogConfig logConfig() {
    return LogConfig.DEFAULT
        .withDurability((Durability) values.get(Setting.LOG_DURABILITY))
        .withSegmentBytes(Math.toIntExact((Long) values.get(Setting.LOG_SEGMENT_BYTES)))
        .withRetention(
            (Long) values.get(Setting.LOG_RETENTION_BYTES),
            (Long) values.get(Setting.LOG_RETENTION_MS))
        .withFlushIntervalMs((Long) values.get(Setting.LOG_FLUSH_INTERVAL_MS));
  }

  public boolean autoCreateTopics() {
    return (Boolean) values.get(Setting.AUTO_CREATE_TOPICS);
  }

  /** The consumer-group settings: Kafka's defaults with the configured initial rebalance delay. */
  public GroupConfig groupConfig() {
    return GroupConfig.DEFAULTS.withInitialRebalanceDelayMs(
        Math.toIntExact((Long) values.get(Setting.GROUP_INITIAL_REBALANCE_DELAY_MS)));
  }

  public int numPartitions() {
    return Math.toIntExact((Long) values.get(Setting.NUM_PARTITIONS));
  }

  /** The typed value of any setting, for code that works over the whole table. */
  public Object value(Setting setting) {
    return values.get(setting);
  }
}
