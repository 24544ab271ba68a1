package dev.tandem.core.stream;

import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.MessageSource;
import dev.tandem.core.queue.QueueConsumer;
import dev.tandem.core.topic.Topic;
import dev.tandem.storage.record.LogRecord;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's reading of a stream (a topic): the {@link MessageSource} an AMQP consumer of a
 * stream queue attaches to, as RabbitMQ serves streams to AMQP 0-9-1 consumers. Reading is not
 * destructive: a {@link StreamCursor} keeps a position per partition and reads chunks of whole
 * records; the reader pushes each, mapped by the {@link RecordMapping} with its offset, while the
 * consumer has capacity. Caught up, it waits for any partition's next data. Memory is one chunk of
 * records per reader.
 *
 * <p>Each delivery is numbered by the reader (the {@link Delivery#offset()} acks name); settling a
 * number only frees the consumer's prefetch credit: an ack removes nothing, and a reject or requeue
 * redelivers nothing, as RabbitMQ settles stream deliveries. A deleted topic, or a read that fails,
 * ends the reader and tells the consumer ({@link QueueConsumer#onQueueDeleted}), as a deleted queue
 * does.
 *
 * <p>Thread-safe. Reading and delivering run on the {@link StreamReaders}' thread, one turn at a
 * time (a work-in-progress counter makes {@link #dispatch} from any thread schedule at most one
 * turn); the fields marked "reading thread" are touched only there. The consumer is called under
 * this reader's monitor, which {@link #removeConsumer} also takes: once it returns, nothing more is
 * delivered.
 */
public final class StreamReader implements MessageSource {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);

  /** Records delivered (or chunks read) per turn before other readers get the thread. */
  static final int TURN = 256;

  private final StreamReaders readers;
  private final RecordMapping mapping;
  private final String name;
  private final UUID topicId;
  private final AtomicInteger work = new AtomicInteger();
  private volatile Topic latest;
  private volatile int partitionCount;

  // Reading thread.
  private final StreamCursor cursor;
  private final ArrayDeque<LogRecord> buffered = new ArrayDeque<>();

  // Guarded by this.
  private QueueConsumer consumer;
  private boolean ended;
  private long nextDelivery;
  private final UnsettledDeliveries unsettled = new UnsettledDeliveries();

  StreamReader(StreamReaders readers, Topic topic, RecordMapping mapping, StreamOffset start) {
    this.readers = readers;
    this.mapping = mapping;
    this.name = topic.name();
    this.topicId = topic.id();
    this.cursor = new StreamCursor(topic, start, readers);
    this.partitionCount = topic.partitions().size();
  }

  @Override
  public String name() {
    return name;
  }

  UUID topicId() {
    return topicId;
  }

  /**
   * Attaches the one consumer this reader serves and starts reading.
   *
   * @return false when an exclusive consumer holds the stream, or {@code exclusive} is asked while
   *     others consume
   * @throws IllegalStateException for a second consumer
   */
  @Override
  public boolean tryAddConsumer(QueueConsumer newConsumer, boolean exclusive) {
    synchronized (this) {
      if (consumer != null || ended) {
        throw new IllegalStateException("a stream reader serves one consumer");
      }
    }
    if (!readers.tryAttach(this, exclusive)) {
      return false;
    }
    boolean deletedMeanwhile;
    synchronized (this) {
      deletedMeanwhile = ended;
      if (!ended) {
        consumer = newConsumer;
      }
    }
    if (deletedMeanwhile) {
      newConsumer.onQueueDeleted();
    } else {
      schedule();
    }
    return true;
  }

  /** Ends the reader: nothing more is read or delivered; settling still frees credit. */
  @Override
  public void removeConsumer(QueueConsumer gone) {
    synchronized (this) {
      if (consumer != gone) {
        return;
      }
    }
    end(false);
  }

  @Override
  public void dispatch() {
    schedule();
  }

  @Override
  public boolean ack(long offset) {
    return settle(offset);
  }

  /** As an ack: RabbitMQ neither dead-letters nor drops anything from a stream. */
  @Override
  public boolean reject(long offset) {
    return settle(offset);
  }

  /** As an ack: a stream does not redeliver; the consumer reads on from its position. */
  @Override
  public boolean requeue(long offset) {
    return settle(offset);
  }

  private synchronized boolean settle(long number) {
    return unsettled.remove(number);
  }

  /** Deliveries not settled yet. */
  public synchronized int unsettledCount() {
    return unsettled.size();
  }

  /** The topic was deleted (or replaced by one of the same name): the consumer is told. */
  void onTopicDeleted() {
    end(true);
  }

  /** The topic as it is now; partitions it gained are read from their start. */
  void onTopicChanged(Topic topic) {
    if (topic.partitions().size() > partitionCount) {
      latest = topic;
      schedule();
    }
  }

  private void end(boolean tellConsumer) {
    QueueConsumer gone;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      gone = consumer;
      consumer = null;
    }
    readers.detach(this);
    schedule();
    if (tellConsumer && gone != null) {
      gone.onQueueDeleted();
    }
  }

  private void schedule() {
    if (work.getAndIncrement() == 0) {
      readers.execute(this::drain);
    }
  }

  /**
   * One turn on the reading thread; another is queued if work is left or was asked for meanwhile.
   */
  private void drain() {
    int asked = work.get();
    boolean done;
    try {
      done = turn();
    } catch (IOException | RuntimeException e) {
      if (readers.isCurrent(this)) {
        LOG.warn("reading stream {} failed; its consumer is cancelled", name, e);
      }
      end(true);
      done = true;
    }
    if (!done || work.addAndGet(-asked) != 0) {
      readers.execute(this::drain);
    }
  }

  /** Delivers what the consumer takes; returns false when it stopped with work left. */
  private boolean turn() throws IOException {
    QueueConsumer target;
    synchronized (this) {
      target = ended ? null : consumer;
    }
    if (target == null) {
      buffered.clear();
      return true;
    }
    Topic grown = latest;
    if (grown != null) {
      partitionCount = cursor.widen(grown);
    }
    cursor.seekTimestamp();
    for (int i = 0; i < TURN; i++) {
      if (!target.hasCapacity()) {
        return true;
      }
      LogRecord record = buffered.poll();
      if (record == null) {
        if (!cursor.readChunk(buffered)) {
          cursor.awaitData(this::schedule);
          return true;
        }
      } else if (!deliver(target, record)) {
        return true;
      }
    }
    return false;
  }

  private boolean deliver(QueueConsumer target, LogRecord record) {
    Message message = mapping.toMessage(name, record, record.offset(), cursor.chunkPartition());
    synchronized (this) {
      if (ended || consumer != target) {
        return false;
      }
      long number = nextDelivery++;
      unsettled.add(number);
      target.deliver(new Delivery(this, number, message, false, 0));
      return true;
    }
  }

  @Override
  public String toString() {
    return "stream '" + name + "'";
  }
}
