package dev.tandem.core;

import dev.tandem.core.alarm.Alarms;
import dev.tandem.core.alarm.DiskAlarm;
import dev.tandem.core.alarm.MemoryAlarm;
import dev.tandem.core.alarm.ResourceAlarm;
import dev.tandem.core.group.GroupConfig;
import dev.tandem.core.group.GroupCoordinator;
import dev.tandem.core.group.GroupTimer;
import dev.tandem.core.producer.ProducerIds;
import dev.tandem.core.topic.Topics;
import dev.tandem.core.vhost.Policies;
import dev.tandem.core.vhost.Vhosts;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.state.StateStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * The protocol-free state of one broker node: its topics, producer ids, consumer groups, and the
 * durable stores behind them. Both protocol modules work through this object; it is where they
 * meet.
 *
 * <pre>
 *   state/metadata   topic definitions, producer id blocks, cluster id
 *   state/offsets    committed consumer-group offsets and group generations (see GroupCoordinator)
 * </pre>
 *
 * <p>Thread-safe. Owns nothing it must close: the stores belong to the {@link LogDirectory}.
 */
public final class Node {
  private static final String CLUSTER_ID_KEY = "cluster/id";

  private final LogDirectory directory;
  private final StateStore metadata;
  private final StateStore offsets;
  private final Topics topics;
  private final ProducerIds producerIds;
  private final String clusterId;
  private final Vhosts vhosts;
  private final GroupCoordinator groups;
  private final DiskAlarm diskAlarm;
  private final MemoryAlarm memoryAlarm;
  private final Alarms alarms;
  private final ScheduledFuture<?> alarmCheck;

  private Node(
      LogDirectory directory,
      StateStore metadata,
      StateStore offsets,
      Topics topics,
      String clusterId,
      GroupConfig groupConfig,
      Map<String, Policies> policies) {
    this.directory = directory;
    this.metadata = metadata;
    this.offsets = offsets;
    this.topics = topics;
    this.producerIds = new ProducerIds(metadata);
    this.clusterId = clusterId;
    this.vhosts = new Vhosts(directory, metadata, topics, policies);
    this.groups = GroupCoordinator.load(offsets, GroupTimer.of(directory.scheduler()), groupConfig);
    this.diskAlarm = new DiskAlarm(directory.root());
    this.memoryAlarm = new MemoryAlarm();
    this.alarms = new Alarms(memoryAlarm, diskAlarm);
    alarms.check();
    this.alarmCheck = directory.scheduler().every(alarms::check, ResourceAlarm.CHECK_MS);
  }

  public static Node open(LogDirectory directory, Topics.TopicDefaults defaults)
      throws IOException {
    return open(directory, defaults, GroupConfig.DEFAULTS);
  }

  public static Node open(
      LogDirectory directory, Topics.TopicDefaults defaults, GroupConfig groupConfig)
      throws IOException {
    return open(directory, defaults, groupConfig, Map.of());
  }

  /** Opens the node with its vhosts' policies ({@code policies} by vhost name). */
  public static Node open(
      LogDirectory directory,
      Topics.TopicDefaults defaults,
      GroupConfig groupConfig,
      Map<String, Policies> policies)
      throws IOException {
    StateStore metadata = directory.openStateStore("metadata");
    StateStore offsets = directory.openStateStore("offsets");
    String clusterId = clusterId(metadata);
    return new Node(
        directory,
        metadata,
        offsets,
        Topics.load(directory, metadata, defaults),
        clusterId,
        groupConfig,
        policies);
  }

  /** The cluster id, made once per data directory in Kafka's form (22 characters of base64). */
  private static String clusterId(StateStore metadata) throws IOException {
    byte[] saved = metadata.get(CLUSTER_ID_KEY);
    if (saved != null) {
      return new String(saved, StandardCharsets.UTF_8);
    }
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits());
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    try {
      metadata.put(CLUSTER_ID_KEY, id.getBytes(StandardCharsets.UTF_8)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while saving the cluster id", e);
    } catch (ExecutionException e) {
      throw new IOException("could not save the cluster id", e.getCause());
    }
    return id;
  }

  public LogDirectory directory() {
    return directory;
  }

  public Topics topics() {
    return topics;
  }

  /** The consumer groups and their committed offsets. */
  public GroupCoordinator groups() {
    return groups;
  }

  public ProducerIds producerIds() {
    return producerIds;
  }

  /** The store of committed offsets (consumer groups). */
  public StateStore offsetStore() {
    return offsets;
  }

  /** The store of definitions (topics, and later exchanges, queues, bindings, users). */
  public StateStore metadataStore() {
    return metadata;
  }

  public Vhosts vhosts() {
    return vhosts;
  }

  /** Free space under the data directory against its limit, checked every second. */
  public DiskAlarm diskAlarm() {
    return diskAlarm;
  }

  /** The heap in use after collection against its watermark, checked every second. */
  public MemoryAlarm memoryAlarm() {
    return memoryAlarm;
  }

  /** Every resource alarm of the node: publishers are blocked while any is raised. */
  public Alarms alarms() {
    return alarms;
  }

  /** Flushes what is buffered in memory; call before the data directory closes. */
  public void close() {
    alarmCheck.cancel(false);
    vhosts.close();
  }

  public String clusterId() {
    return clusterId;
  }
}
