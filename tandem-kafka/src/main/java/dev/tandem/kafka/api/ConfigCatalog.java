package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicConfig;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.log.LogConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * How Tandem's settings look to Kafka clients (KIP-226 DescribeConfigs): every topic config with
 * its Kafka type, documentation and broker-level synonym, and the broker's own configs, which are
 * all read-only (none can be changed at runtime).
 *
 * <p>A topic config's source is TOPIC_CONFIG when the topic overrides it; otherwise it is its
 * broker synonym's: DEFAULT_CONFIG when the broker runs with Tandem's built-in default,
 * STATIC_BROKER_CONFIG when the broker's configuration changed it, as Kafka reports a value set in
 * server.properties.
 *
 * <p>Stateless and thread-safe.
 */
final class ConfigCatalog {
  /**
   * A topic config as Kafka describes it.
   *
   * @param type its Kafka type
   * @param brokerName the broker config that supplies its default
   * @param doc one line of documentation
   */
  record TopicKey(ConfigType type, String brokerName, String doc) {}

  private static final Map<String, TopicKey> TOPIC_KEYS =
      Map.of(
          TopicConfig.CLEANUP_POLICY,
          new TopicKey(
              ConfigType.LIST,
              "log.cleanup.policy",
              "What happens to old segments; Tandem supports only 'delete' (no compaction)."),
          TopicConfig.MAX_MESSAGE_BYTES,
          new TopicKey(
              ConfigType.INT,
              "message.max.bytes",
              "The largest record batch size allowed, in bytes."),
          TopicConfig.RETENTION_BYTES,
          new TopicKey(
              ConfigType.LONG,
              "log.retention.bytes",
              "Delete the oldest segments of a partition while it is larger than this; -1 keeps"
                  + " all."),
          TopicConfig.RETENTION_MS,
          new TopicKey(
              ConfigType.LONG,
              "log.retention.ms",
              "Delete segments whose newest record is older than this many ms; -1 keeps all."),
          TopicConfig.SEGMENT_BYTES,
          new TopicKey(
              ConfigType.INT,
              "log.segment.bytes",
              "Roll the active segment when an append would make it larger than this."),
          TopicConfig.SEGMENT_MS,
          new TopicKey(
              ConfigType.LONG,
              "log.roll.ms",
              "Roll the active segment once its first batch is this many ms old."),
          TopicConfig.TIMESTAMP_TYPE,
          new TopicKey(
              ConfigType.STRING,
              "log.message.timestamp.type",
              "CreateTime keeps the producer's timestamps; LogAppendTime stamps each batch with"
                  + " the broker's clock."));

  private ConfigCatalog() {}

  /** The Kafka description of a supported topic config, or null. */
  static TopicKey topicKey(String name) {
    return TOPIC_KEYS.get(name);
  }

  /** Whether a topic config holds a comma-separated list (APPEND and SUBTRACT apply to it). */
  static boolean isList(String name) {
    TopicKey key = TOPIC_KEYS.get(name);
    return key != null && key.type() == ConfigType.LIST;
  }

  /** A topic's configs; {@code names} null or empty means all of them. */
  static List<DescribeConfigsResourceResult> describeTopic(
      Topic topic,
      Topics.TopicDefaults defaults,
      Collection<String> names,
      boolean synonyms,
      boolean documentation) {
    Map<String, TopicConfig.Effective> builtIn = TopicConfig.none().effective(LogConfig.DEFAULT);
    Map<String, TopicConfig.Effective> broker = TopicConfig.none().effective(defaults.log());
    List<DescribeConfigsResourceResult> entries = new ArrayList<>();
    topic
        .config()
        .effective(defaults.log())
        .forEach(
            (name, effective) -> {
              if (!wanted(names, name)) {
                return;
              }
              TopicKey key = TOPIC_KEYS.get(name);
              String brokerValue = broker.get(name).value();
              ConfigSource brokerSource =
                  brokerValue.equals(builtIn.get(name).value())
                      ? ConfigSource.DEFAULT_CONFIG
                      : ConfigSource.STATIC_BROKER_CONFIG;
              List<DescribeConfigsSynonym> chain = new ArrayList<>();
              if (effective.overridden()) {
                chain.add(synonym(name, effective.value(), ConfigSource.TOPIC_CONFIG));
              }
              chain.add(synonym(key.brokerName(), brokerValue, brokerSource));
              entries.add(
                  entry(name, effective.value(), false, key.type(), key.doc(), documentation)
                      .setConfigSource(chain.get(0).source())
                      .setSynonyms(synonyms ? chain : new ArrayList<>()));
            });
    return entries;
  }

  /** This broker's configs, all read-only; {@code names} null or empty means all of them. */
  static List<DescribeConfigsResourceResult> describeBroker(
      KafkaNode kafka, Collection<String> names, boolean synonyms, boolean documentation) {
    Topics.TopicDefaults defaults = kafka.node().topics().defaults();
    Map<String, BrokerValue> values = new TreeMap<>();
    String id = Integer.toString(kafka.nodeId());
    values.put("broker.id", new BrokerValue(id, null, ConfigType.INT, "This broker's id."));
    values.put("node.id", new BrokerValue(id, null, ConfigType.INT, "This broker's node id."));
    values.put(
        "num.partitions",
        new BrokerValue(
            Integer.toString(defaults.partitions()),
            "1",
            ConfigType.INT,
            "Partitions of an auto-created topic, and of a topic created with the default."));
    values.put(
        "auto.create.topics.enable",
        new BrokerValue(
            Boolean.toString(defaults.autoCreate()),
            "true",
            ConfigType.BOOLEAN,
            "Whether producing to or asking metadata for an unknown topic creates it."));
    values.put(
        "default.replication.factor",
        new BrokerValue("1", "1", ConfigType.INT, "Replicas of a topic; one broker holds one."));
    values.put(
        "log.dirs",
        new BrokerValue(
            kafka.node().directory().root().resolve("logs").toString(),
            null,
            ConfigType.STRING,
            "The directory holding every partition's log."));
    Map<String, TopicConfig.Effective> builtIn = TopicConfig.none().effective(LogConfig.DEFAULT);
    TopicConfig.none()
        .effective(defaults.log())
        .forEach(
            (name, effective) -> {
              TopicKey key = TOPIC_KEYS.get(name);
              values.put(
                  key.brokerName(),
                  new BrokerValue(
                      effective.value(), builtIn.get(name).value(), key.type(), key.doc()));
            });
    List<DescribeConfigsResourceResult> entries = new ArrayList<>();
    values.forEach(
        (name, value) -> {
          if (!wanted(names, name)) {
            return;
          }
          ConfigSource source =
              value.value().equals(value.builtIn())
                  ? ConfigSource.DEFAULT_CONFIG
                  : ConfigSource.STATIC_BROKER_CONFIG;
          List<DescribeConfigsSynonym> chain = new ArrayList<>();
          if (synonyms) {
            chain.add(synonym(name, value.value(), source));
          }
          entries.add(
              entry(name, value.value(), true, value.type(), value.doc(), documentation)
                  .setConfigSource(source.id())
                  .setSynonyms(chain));
        });
    return entries;
  }

  /**
   * A broker config's value.
   *
   * @param value its value
   * @param builtIn Tandem's default for it, or null when it has none (always configured)
   * @param type its Kafka type
   * @param doc one line of documentation
   */
  private record BrokerValue(String value, String builtIn, ConfigType type, String doc) {}

  private static boolean wanted(Collection<String> names, String name) {
    return names == null || names.isEmpty() || names.contains(name);
  }

  private static DescribeConfigsSynonym synonym(String name, String value, ConfigSource source) {
    return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source.id());
  }

  private static DescribeConfigsResourceResult entry(
      String name,
      String value,
      boolean readOnly,
      ConfigType type,
      String doc,
      boolean documentation) {
    return new DescribeConfigsResourceResult()
        .setName(name)
        .setValue(value)
        .setReadOnly(readOnly)
        .setIsSensitive(false)
        .setConfigType(type.id())
        .setDocumentation(documentation ? doc : null);
  }
}
