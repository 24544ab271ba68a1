package dev.tandem.core.vhost;

import static dev.tandem.core.vhost.VhostException.Reason.PRECONDITION_FAILED;

import dev.tandem.core.exchange.Binding;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.stream.KeyPartitioner;
import dev.tandem.core.stream.RecordMapping;
import dev.tandem.core.stream.StreamFollower;
import dev.tandem.core.stream.StreamOffset;
import dev.tandem.core.stream.StreamRecord;
import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicException;
import dev.tandem.core.topic.TopicObserver;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The default vhost's side of topics: every topic is a stream queue and an exchange of the same
 * name. Declares streams over AMQP as topics, appends what AMQP routes into a stream (routing in),
 * and runs a {@link StreamFollower} for each binding from a topic's exchange (routing out), whose
 * positions a durable binding keeps in the definitions. Refuses a topic whose name an exchange or a
 * classic queue holds.
 *
 * <p>Thread-safe. Topic callbacks arrive under the {@link Topics} lock and never take the vhost's.
 */
final class Streams implements TopicObserver {
  private final Vhost vhost;
  private final Topics topics;
  private final Definitions definitions;
  private final Supplier<RecordMapping> mapping;
  private final Executor executor;
  private final KeyPartitioner partitioner = new KeyPartitioner();
  private final Map<Binding, StreamFollower> followers = new ConcurrentHashMap<>();

  Streams(
      Vhost vhost,
      Topics topics,
      Definitions definitions,
      Supplier<RecordMapping> mapping,
      Executor executor) {
    this.vhost = vhost;
    this.topics = topics;
    this.definitions = definitions;
    this.mapping = mapping;
    this.executor = executor;
  }

  Optional<Topic> stream(String name) {
    return topics.topic(name);
  }

  /** Creates the topic a stream declaration asks for (the caller checked it does not exist). */
  Topic create(String name, QueueOptions options) {
    StreamArguments.validate(name, options);
    try {
      return topics.create(
          name,
          StreamArguments.partitions(name, options.arguments()),
          StreamArguments.configs(name, options.arguments()));
    } catch (TopicException e) {
      throw new VhostException(PRECONDITION_FAILED, e.getMessage());
    }
  }

  /**
   * Appends a message routed into a stream: its record's key picks the partition as Kafka's default
   * partitioner would.
   */
  CompletableFuture<Void> append(Topic topic, Message message) {
    StreamRecord record = mapping.get().toRecord(message, System.currentTimeMillis());
    Partition partition =
        topic.partition(partitioner.partition(record.key(), topic.partitions().size()));
    return partition
        .append(
            new RecordBatchBuilder(record.timestamp(), message.body().length + 256)
                .append(record.timestamp(), record.key(), record.value(), record.headers())
                .build())
        .thenApply(result -> null);
  }

  /**
   * Starts routing a topic's records through a new binding from its exchange. A durable binding
   * resumes from the positions it saved; a new one starts where its {@code x-stream-offset}
   * argument says (default: the end, so only records appended from now on).
   */
  void follow(Binding binding, boolean durable) {
    Topic topic = topics.topic(binding.source()).orElse(null);
    if (topic == null || followers.containsKey(binding)) {
      return;
    }
    long[] saved = durable ? definitions.positions(vhost.name(), binding) : null;
    long[] start = saved != null ? saved : start(topic, binding);
    StreamFollower follower =
        new StreamFollower(
            topics,
            topic.name(),
            binding.key(),
            start,
            mapping,
            message -> vhost.routeOut(binding, message),
            positions -> {
              if (durable && followers.get(binding) != null) {
                definitions.savePositions(vhost.name(), binding, positions);
              }
            },
            executor);
    followers.put(binding, follower);
    if (durable && saved == null) {
      definitions.savePositions(vhost.name(), binding, start).join();
    }
    follower.start();
  }

  /** Stops routing through a binding that went, and forgets its positions. */
  void unfollow(Binding binding) {
    StreamFollower follower = followers.remove(binding);
    if (follower != null) {
      follower.stop();
      definitions.deletePositions(vhost.name(), binding);
    }
  }

  /**
   * Where a new binding starts in each partition, from its x-stream-offset argument, read as a
   * stream consumer's is ({@link StreamOffset}).
   */
  private static long[] start(Topic topic, Binding binding) {
    StreamOffset spec;
    try {
      spec =
          StreamOffset.parse(
              binding.arguments().get("x-stream-offset"), System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "invalid arg 'x-stream-offset' for a binding from '"
              + topic.name()
              + "': expected first, last, next, an offset, a timestamp or an interval ("
              + e.getMessage()
              + ")");
    }
    long[] start = new long[topic.partitions().size()];
    try {
      for (Partition partition : topic.partitions()) {
        start[partition.index()] = startIn(partition.log(), spec);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start;
  }

  private static long startIn(Log log, StreamOffset spec) throws IOException {
    long first = log.startOffset();
    long next = log.highWatermark();
    return switch (spec.kind()) {
      case FIRST -> first;
      case LAST -> next > first ? next - 1 : next;
      case NEXT -> next;
      case OFFSET -> Math.min(Math.max(spec.value(), first), next);
      case TIMESTAMP -> timestampOffset(log, spec.value());
    };
  }

  private static long timestampOffset(Log log, long millis) throws IOException {
    long offset = log.offsetForTimestamp(millis);
    return offset < 0 ? log.highWatermark() : offset;
  }

  /** Stops every follower (the broker is closing). */
  void close() {
    followers.values().forEach(StreamFollower::stop);
  }

  @Override
  public void checkName(String name) {
    String holder = vhost.holderOf(name);
    if (holder != null) {
      throw new TopicException(
          TopicException.Reason.NAME_TAKEN,
          "topic name '" + name + "' is taken by " + holder + " in AMQP vhost '/'");
    }
  }

  @Override
  public void onCreated(Topic topic) {
    vhost.addStreamExchange(topic.name());
  }

  @Override
  public void onDeleted(Topic topic) {
    executor.execute(() -> vhost.onStreamDeleted(topic.name()));
  }

  List<StreamFollower> followers() {
    return List.copyOf(followers.values());
  }
}
