package dev.tandem.core.topic;

import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Every topic of the broker: creation, deletion, partitions, configs, and auto-creation on first
 * use. Definitions are durable in the broker's state store; each partition is the log {@code
 * TOPIC-INDEX} of the data directory.
 *
 * <p>Thread-safe: lookups are lock-free; changes serialise on this object.
 */
public final class Topics {
  /** Kafka's legal topic names (Topic.validate): at most 249 of [a-zA-Z0-9._-], not . or .. */
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private final LogDirectory directory;
  private final StateStore definitions;
  private final TopicDefaults defaults;
  private final Map<String, Topic> topics = new ConcurrentHashMap<>();
  private final List<TopicObserver> observers = new CopyOnWriteArrayList<>();

  /**
   * Broker-wide topic settings.
   *
   * @param log log settings of a topic without overrides
   * @param partitions partitions of an auto-created topic (num.partitions)
   * @param autoCreate whether producing to or fetching metadata of an unknown topic creates it
   */
  public record TopicDefaults(LogConfig log, int partitions, boolean autoCreate) {}

  private Topics(LogDirectory directory, StateStore definitions, TopicDefaults defaults) {
    this.directory = directory;
    this.definitions = definitions;
    this.defaults = defaults;
  }

  /** Opens every topic recorded in {@code definitions}. */
  public static Topics load(LogDirectory directory, StateStore definitions, TopicDefaults defaults)
      throws IOException {
    Topics topics = new Topics(directory, definitions, defaults);
    for (Map.Entry<String, byte[]> entry :
        definitions.scan(TopicDefinition.KEY_PREFIX).entrySet()) {
      TopicDefinition definition = TopicDefinition.decode(entry.getKey(), entry.getValue());
      topics.topics.put(definition.name(), topics.open(definition));
    }
    return topics;
  }

  /** Adds an observer and tells it of every topic that exists now. */
  public synchronized void observe(TopicObserver observer) {
    observers.add(observer);
    topics.values().forEach(observer::onCreated);
  }

  public TopicDefaults defaults() {
    return defaults;
  }

  public Optional<Topic> topic(String name) {
    return Optional.ofNullable(topics.get(name));
  }

  public Optional<Topic> topic(UUID id) {
    return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
  }

  public Collection<Topic> all() {
    return List.copyOf(topics.values());
  }

  /** The topic, created with the defaults if it does not exist and auto-creation is on. */
  public Topic topicOrAutoCreate(String name) {
    Topic topic = topics.get(name);
    if (topic != null) {
      return topic;
    }
    if (!defaults.autoCreate()) {
      throw new TopicException(TopicException.Reason.UNKNOWN_TOPIC, "unknown topic " + name);
    }
    synchronized (this) {
      topic = topics.get(name);
      return topic != null ? topic : create(name, defaults.partitions(), Map.of());
    }
  }

  public static void validateName(String name) {
    if (name == null || !LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new TopicException(
          TopicException.Reason.INVALID_NAME,
          "topic name '" + name + "' is illegal: use 1-249 of [a-zA-Z0-9._-], not '.' or '..'");
    }
  }

  /**
   * Creates a topic.
   *
   * @param partitions the partition count, or -1 for the default
   */
  public synchronized Topic create(String name, int partitions, Map<String, String> configs) {
    validateName(name);
    if (topics.containsKey(name)) {
      throw new TopicException(
          TopicException.Reason.TOPIC_EXISTS, "topic " + name + " already exists");
    }
    observers.forEach(observer -> observer.checkName(name));
    int count = partitions == -1 ? defaults.partitions() : partitions;
    if (count < 1 || count > 100_000) {
      throw new TopicException(
          TopicException.Reason.INVALID_PARTITIONS,
          "partition count must be 1..100000: " + partitions);
    }
    TopicDefinition definition =
        new TopicDefinition(name, UUID.randomUUID(), count, new TopicConfig(configs));
    save(definition);
    Topic topic = open(definition);
    topics.put(name, topic);
    observers.forEach(observer -> observer.onCreated(topic));
    return topic;
  }

  public synchronized void delete(String name) {
    Topic topic = existing(name);
    topics.remove(name);
    await(definitions.remove(TopicDefinition.KEY_PREFIX + name));
    try {
      for (Partition partition : topic.partitions()) {
        directory.deleteLog(logName(name, partition.index()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    observers.forEach(observer -> observer.onDeleted(topic));
  }

  /** Raises the partition count to {@code total}. */
  public synchronized Topic addPartitions(String name, int total) {
    Topic topic = existing(name);
    if (total <= topic.partitions().size()) {
      throw new TopicException(
          TopicException.Reason.INVALID_PARTITIONS,
          "topic "
              + name
              + " has "
              + topic.partitions().size()
              + " partitions; cannot go to "
              + total);
    }
    TopicDefinition definition = new TopicDefinition(name, topic.id(), total, topic.config());
    save(definition);
    Topic grown = open(definition);
    topics.put(name, grown);
    return grown;
  }

  /**
   * Checks, without changing anything, that raising the topic to {@code total} partitions is an
   * increase (Kafka's CreatePartitions with validateOnly).
   *
   * @return the topic as it is now
   */
  public Topic checkPartitionIncrease(String name, int total) {
    Topic topic = existing(name);
    int current = topic.partitions().size();
    if (total == current) {
      throw new TopicException(
          TopicException.Reason.INVALID_PARTITIONS,
          "Topic already has " + current + " partition(s).");
    }
    if (total < current) {
      throw new TopicException(
          TopicException.Reason.INVALID_PARTITIONS,
          "The topic "
              + name
              + " currently has "
              + current
              + " partition(s); "
              + total
              + " would not be an increase.");
    }
    return topic;
  }

  /** Applies config changes (a null value removes an override) to the topic and its logs. */
  public synchronized Topic alterConfig(String name, Map<String, String> changes, boolean replace) {
    Topic topic = existing(name);
    TopicConfig config = replace ? new TopicConfig(changes) : topic.config().with(changes);
    TopicDefinition definition =
        new TopicDefinition(name, topic.id(), topic.partitions().size(), config);
    save(definition);
    LogConfig logConfig = config.toLogConfig(defaults.log());
    for (Partition partition : topic.partitions()) {
      partition.log().config(logConfig);
    }
    Topic altered = new Topic(name, topic.id(), topic.partitions(), config);
    topics.put(name, altered);
    return altered;
  }

  private Topic existing(String name) {
    Topic topic = topics.get(name);
    if (topic == null) {
      throw new TopicException(TopicException.Reason.UNKNOWN_TOPIC, "unknown topic " + name);
    }
    return topic;
  }

  private void save(TopicDefinition definition) {
    await(definitions.put(definition.key(), definition.encode()));
  }

  private Topic open(TopicDefinition definition) {
    LogConfig logConfig = definition.config().toLogConfig(defaults.log());
    List<Partition> partitions = new ArrayList<>();
    Topic current = topics.get(definition.name());
    try {
      for (int i = 0; i < definition.partitions(); i++) {
        if (current != null && i < current.partitions().size()) {
          partitions.add(current.partitions().get(i));
          continue;
        }
        Log log = directory.openLog(logName(definition.name(), i), logConfig);
        partitions.add(new Partition(definition.name(), i, log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Topic(definition.name(), definition.id(), partitions, definition.config());
  }

  static String logName(String topic, int partition) {
    return topic + "-" + partition;
  }

  private static void await(java.util.concurrent.CompletableFuture<Void> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while saving a topic definition", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not save a topic definition", e.getCause());
    }
  }
}
