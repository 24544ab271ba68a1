package dev.tandem.core.vhost;

import dev.tandem.core.delay.DelayedMessages;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.queue.QueueFactory;
import dev.tandem.core.stream.RecordMapping;
import dev.tandem.core.stream.StreamReaders;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Durability;
import dev.tandem.storage.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;

/**
 * Every vhost of the broker; {@code /} always exists. Loads durable definitions and each vhost's
 * held delayed messages at start and, every 50 ms, flushes queues' buffered acks, expires the
 * messages at their heads and deletes queues whose x-expires passed. Thread-safe.
 */
public final class Vhosts {
  public static final String DEFAULT = "/";
  private static final long ACK_FLUSH_MS = 50;

  private final LogDirectory directory;
  private final Topics topics;
  private final Durability durability;
  private final Definitions definitions;
  private final QueueFactory queues;
  private final Map<String, Policies> policies;
  private final Map<String, DelayedMessages> delayed = new ConcurrentHashMap<>();
  private final Map<String, Vhost> vhosts = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> ackFlusher;
  private final StreamReaders streamReaders;
  private volatile DeadLetterRewriter deadLetterRewriter = DeadLetterRewriter.UNCHANGED;
  private volatile RecordMapping recordMapping = RecordMapping.BARE;
  private final ExecutorService streamExecutor =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "tandem-streams");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Loads every vhost. Durable queues' logs follow the durability policy of the topics' defaults
   * (when a persistent message counts as safe); the topics are the default vhost's streams.
   */
  public Vhosts(LogDirectory directory, StateStore metadata, Topics topics) {
    this(directory, metadata, topics, Map.of());
  }

  /**
   * Loads every vhost, each queue under the policies of its vhost ({@code policies} by vhost name;
   * a vhost without an entry has none). Policies are fixed for the life of the broker.
   */
  public Vhosts(
      LogDirectory directory, StateStore metadata, Topics topics, Map<String, Policies> policies) {
    this.policies = Map.copyOf(policies);
    this.definitions = new Definitions(metadata);
    Durability durability = topics.defaults().log().durability();
    this.queues = new QueueFactory(directory, durability);
    this.directory = directory;
    this.topics = topics;
    this.durability = durability;
    create(DEFAULT);
    this.ackFlusher = directory.scheduler().every(this::housekeeping, ACK_FLUSH_MS);
    this.streamReaders = new StreamReaders(topics, directory.scheduler());
  }

  /**
   * The vhost of that name, loaded with its durable queues, exchanges and bindings if it is new
   * here (vhosts other than {@code /} come from imported definitions at start).
   */
  public synchronized Vhost create(String name) {
    Vhost existing = vhosts.get(name);
    if (existing != null) {
      return existing;
    }
    Vhost vhost =
        new Vhost(
            name,
            definitions,
            queues,
            topics,
            directory.scheduler(),
            () -> deadLetterRewriter,
            () -> recordMapping,
            streamExecutor,
            openDelayed(directory, name, durability),
            policies.getOrDefault(name, Policies.NONE));
    vhost.load();
    vhost.startReleasing();
    vhosts.put(name, vhost);
    return vhost;
  }

  private DelayedMessages openDelayed(LogDirectory directory, String vhost, Durability durability) {
    try {
      DelayedMessages store = DelayedMessages.open(directory, vhost, durability);
      delayed.put(vhost, store);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Vhost> vhost(String name) {
    return Optional.ofNullable(vhosts.get(name));
  }

  /** The delayed messages a vhost holds (counts for metrics). */
  public Optional<DelayedMessages> delayedMessages(String vhost) {
    return Optional.ofNullable(delayed.get(vhost));
  }

  /** The readers of the default vhost's streams (AMQP consumers of topics). */
  public StreamReaders streamReaders() {
    return streamReaders;
  }

  /** Sets how dead-lettered messages are rewritten (the AMQP edge sets its own at start). */
  public void rewriteDeadLettersWith(DeadLetterRewriter rewriter) {
    this.deadLetterRewriter = rewriter;
  }

  /** Sets how messages cross into and out of topics (the AMQP edge sets its own at start). */
  public void mapRecordsWith(RecordMapping mapping) {
    this.recordMapping = mapping;
  }

  private void flushAcks() {
    for (Vhost vhost : vhosts.values()) {
      for (Queue queue : vhost.queues()) {
        queue.flushAcks();
      }
    }
  }

  /**
   * Every 50 ms: writes buffered acks, expires (dead-letters or drops) messages at the queues'
   * heads, and deletes the queues whose x-expires passed unused.
   */
  private void housekeeping() {
    long now = System.currentTimeMillis();
    for (Vhost vhost : vhosts.values()) {
      for (Queue queue : vhost.queues()) {
        queue.dropExpired();
        queue.flushAcks();
        if (queue.isUnusedSince(now)) {
          vhost.maybeExpire(queue, now);
        }
      }
    }
  }

  /**
   * Stops releasing delayed messages and writes every buffered ack and release record; call before
   * the data directory closes.
   */
  public void close() {
    ackFlusher.cancel(false);
    vhosts.values().forEach(Vhost::close);
    streamExecutor.shutdown();
    delayed.values().forEach(DelayedMessages::close);
    streamReaders.close();
    flushAcks();
  }
}
