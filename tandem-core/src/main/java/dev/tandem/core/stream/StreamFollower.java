package dev.tandem.core.stream;

import dev.tandem.core.exchange.TopicPattern;
import dev.tandem.core.queue.Message;
import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes out of a topic: follows every partition of one topic from a position and hands each record
 * whose key matches a topic-exchange pattern, as a message, to a sink (a queue, another stream, an
 * exchange). One per binding to a topic's exchange, so that each binding keeps its own position: a
 * binding that asked to backfill starts in the topic's history, others at its end.
 *
 * <p>Work runs on the given executor, never on the thread that appended: a round reads up to
 * {@value #CHUNK_BYTES} bytes per partition, hands the matching records over, and the next round
 * starts only once the sink has stored them, so memory holds one round at most. After each round
 * the positions of what the sink stored are passed to a saver (a durable binding persists them; a
 * restart resumes there, so a record may be routed twice after a crash but never lost). When caught
 * up it waits for the partitions' next appends.
 *
 * <p>Thread-safe: rounds never overlap; {@link #stop} may be called from any thread.
 */
public final class StreamFollower {
  private static final Logger LOG = LoggerFactory.getLogger(StreamFollower.class);
  static final int CHUNK_BYTES = 256 * 1024;

  private final Topics topics;
  private final String topic;
  private final TopicPattern pattern;
  private final Supplier<RecordMapping> mapping;
  private final Function<Message, CompletableFuture<Void>> sink;
  private final Consumer<long[]> saver;
  private final Executor executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong routed = new AtomicLong();
  private final AtomicLong unreadable = new AtomicLong();
  private volatile boolean stopped;
  private long[] next;
  private boolean running;

  /**
   * @param start the position to start from in each partition (a shorter array: partitions beyond
   *     it start at their beginning)
   */
  public StreamFollower(
      Topics topics,
      String topic,
      String bindingKey,
      long[] start,
      Supplier<RecordMapping> mapping,
      Function<Message, CompletableFuture<Void>> sink,
      Consumer<long[]> saver,
      Executor executor) {
    this.topics = topics;
    this.topic = topic;
    this.pattern = new TopicPattern(bindingKey);
    this.next = start.clone();
    this.mapping = mapping;
    this.sink = sink;
    this.saver = saver;
    this.executor = executor;
  }

  public void start() {
    schedule();
  }

  /** Stops following; a round under way finishes, nothing more is routed or saved after it. */
  public void stop() {
    stopped = true;
  }

  /** Records routed so far. */
  public long routed() {
    return routed.get();
  }

  private void schedule() {
    if (!stopped && scheduled.compareAndSet(false, true)) {
      executor.execute(this::round);
    }
  }

  private void round() {
    scheduled.set(false);
    synchronized (this) {
      if (stopped || running) {
        return;
      }
      running = true;
    }
    try {
      roundOnce();
    } catch (RuntimeException e) {
      LOG.warn("routing out of topic {} stopped by an error", topic, e);
      synchronized (this) {
        running = false;
      }
    }
  }

  private void roundOnce() {
    Topic current = topics.topic(topic).orElse(null);
    if (current == null) {
      stopped = true;
      return;
    }
    List<Partition> partitions = current.partitions();
    if (next.length < partitions.size()) {
      next = Arrays.copyOf(next, partitions.size());
    }
    List<CompletableFuture<Void>> stored = new ArrayList<>();
    boolean behind = false;
    for (Partition partition : partitions) {
      int index = partition.index();
      next[index] = readOnce(current.name(), partition, next[index], stored);
      behind |= next[index] < partition.log().highWatermark();
    }
    long[] positions = next.clone();
    CompletableFuture<Void> all =
        CompletableFuture.allOf(stored.toArray(new CompletableFuture<?>[0]));
    boolean caughtUp = !behind;
    all.whenComplete(
        (ok, failure) -> {
          if (failure != null) {
            LOG.warn("routing out of topic {}: a destination refused a record", topic, failure);
          }
          if (!stopped) {
            saver.accept(positions);
          }
          synchronized (this) {
            running = false;
          }
          if (caughtUp) {
            for (Partition partition : partitions) {
              partition.dataAfter(positions[partition.index()]).thenRun(this::schedule);
            }
          } else {
            schedule();
          }
        });
  }

  private long readOnce(
      String name, Partition partition, long from, List<CompletableFuture<Void>> stored) {
    RecordMapping recordMapping = mapping.get();
    try {
      return partition.readRecords(
          from,
          CHUNK_BYTES,
          record -> {
            Message message = recordMapping.toMessage(name, record);
            if (pattern.matches(message.routingKey())) {
              stored.add(sink.apply(message));
              routed.incrementAndGet();
            }
          });
    } catch (IOException e) {
      LOG.warn("routing out of {}: cannot read at offset {}", partition, from, e);
      return from;
    } catch (IllegalArgumentException e) {
      unreadable.incrementAndGet();
      return skipBatch(partition, from);
    }
  }

  /**
   * Moves past a batch this broker cannot read (counted), so that one batch never wedges a route.
   */
  private static long skipBatch(Partition partition, long from) {
    try {
      ByteBuffer batch = partition.log().read(from, 1, true).readAll();
      RecordBatch header = new RecordBatch().wrap(batch, 0);
      return Math.max(from + 1, header.lastOffset() + 1);
    } catch (IOException | RuntimeException e) {
      return from + 1;
    }
  }

  /** Batches skipped because they could not be read. */
  public long unreadable() {
    return unreadable.get();
  }
}
