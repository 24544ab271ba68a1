package dev.tandem.core.stream;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.log.LogScheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream consumers of a node: opens a {@link StreamReader} per consumer and owns what they
 * share. Their disk reads and deliveries run on one thread of its own, started on demand and
 * stopped when idle, never on a network thread; each reader takes a bounded turn, so one busy
 * consumer does not hold the others up. It keeps exclusive consumers exclusive per stream, and
 * every 250 ms checks the topics being read: the readers of a deleted topic end (their consumers
 * are told as for a deleted queue), those of a topic that gained partitions start reading them.
 *
 * <p>Thread-safe.
 */
public final class StreamReaders implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReaders.class);
  static final long CHECK_MS = 250;

  private final Topics topics;
  private final ThreadPoolExecutor executor;
  private final ScheduledFuture<?> check;
  private final LongAdder skippedBatches = new LongAdder();
  // Guarded by this: the attached readers of each stream, and those attached exclusively.
  private final Map<String, List<StreamReader>> attached = new HashMap<>();
  private final Set<StreamReader> exclusive = new HashSet<>();

  public StreamReaders(Topics topics, LogScheduler scheduler) {
    this.topics = topics;
    this.executor =
        new ThreadPoolExecutor(
            0,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "tandem-stream-reader");
              thread.setDaemon(true);
              return thread;
            });
    this.check = scheduler.every(this::checkTopics, CHECK_MS);
  }

  /**
   * A reader of {@code topic} for one consumer, positioned at {@code start} (a timestamp is looked
   * up on the reading thread, the other starts now). Nothing is read before a consumer attaches.
   *
   * @param mapping how records become the messages delivered
   */
  public StreamReader open(Topic topic, RecordMapping mapping, StreamOffset start) {
    return new StreamReader(this, topic, mapping, start);
  }

  /** Batches skipped because they could not be decoded (compressed or corrupt). */
  public long skippedBatches() {
    return skippedBatches.sum();
  }

  /** Consumers attached to the stream. */
  public synchronized int consumerCount(String stream) {
    List<StreamReader> readers = attached.get(stream);
    return readers == null ? 0 : readers.size();
  }

  synchronized boolean tryAttach(StreamReader reader, boolean exclusively) {
    List<StreamReader> readers = attached.computeIfAbsent(reader.name(), n -> new ArrayList<>());
    if (!readers.isEmpty() && (exclusively || exclusive.contains(readers.get(0)))) {
      return false;
    }
    readers.add(reader);
    if (exclusively) {
      exclusive.add(reader);
    }
    return true;
  }

  synchronized void detach(StreamReader reader) {
    List<StreamReader> readers = attached.get(reader.name());
    if (readers != null && readers.remove(reader) && readers.isEmpty()) {
      attached.remove(reader.name());
    }
    exclusive.remove(reader);
  }

  /** Runs a reader's turn on the reading thread; nothing once closed. */
  void execute(Runnable turn) {
    try {
      executor.execute(turn);
    } catch (RejectedExecutionException e) {
      // closed: readers stop where they are
    }
  }

  void onSkippedBatch() {
    skippedBatches.increment();
  }

  /** Whether the reader's topic still exists (not deleted, nor replaced by one of its name). */
  boolean isCurrent(StreamReader reader) {
    Optional<Topic> topic = topics.topic(reader.name());
    return topic.isPresent() && topic.get().id().equals(reader.topicId());
  }

  /** Ends the readers of deleted topics and widens those of topics that gained partitions. */
  private void checkTopics() {
    try {
      checkEachTopic();
    } catch (RuntimeException e) {
      LOG.warn("checking the topics of stream readers failed", e);
    }
  }

  private void checkEachTopic() {
    List<StreamReader> readers;
    synchronized (this) {
      if (attached.isEmpty()) {
        return;
      }
      readers = new ArrayList<>();
      attached.values().forEach(readers::addAll);
    }
    for (StreamReader reader : readers) {
      Optional<Topic> topic = topics.topic(reader.name());
      if (topic.isPresent() && topic.get().id().equals(reader.topicId())) {
        reader.onTopicChanged(topic.get());
      } else {
        reader.onTopicDeleted();
      }
    }
  }

  /** Stops reading: readers stay where they are and deliver nothing more. */
  @Override
  public void close() {
    check.cancel(false);
    executor.shutdownNow();
  }
}
