package dev.tandem.core.stream;

import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.OffsetOutOfRangeException;
import dev.tandem.storage.log.StorageException;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StreamReader}'s position in each partition of its stream, and the reading from there:
 * whole records, a chunk of about 256 KiB at a time, from the partitions with data in turn.
 *
 * <p>Where a {@link StreamOffset} starts, in each partition: {@code first} at the log start, {@code
 * last} at the last record (its offset, one below the high watermark; RabbitMQ starts at the last
 * chunk, which for a Kafka producer's batches is much the same), {@code next} at the high
 * watermark, a number at that offset held within [log start, high watermark], a timestamp at the
 * first record stamped at or after it (looked up on the reading thread, by the time index and then
 * the records of that batch), or the high watermark when there is none. Partitions the topic gains
 * later are read from their start.
 *
 * <p>A position that retention left below the log start reads on from the start. A batch that
 * cannot be decoded (compressed, while records of compressed batches cannot be read in core; or
 * corrupt) is skipped, counted by {@link StreamReaders#skippedBatches}, and logged once per cursor.
 *
 * <p>Not thread-safe: the reading thread of its reader, but for the constructor.
 */
final class StreamCursor {
  private static final Logger LOG = LoggerFactory.getLogger(StreamCursor.class);
  static final int CHUNK_BYTES = 256 * 1024;

  private final StreamReaders readers;
  private Partition[] partitions;
  private long[] positions;
  private CompletableFuture<?>[] awaited;
  private int nextPartition;
  private int lastRead = -1;
  private long seekMillis = -1;
  private boolean skipReported;

  /** Positions the cursor now, from in-memory state only (a timestamp is sought later). */
  StreamCursor(Topic topic, StreamOffset start, StreamReaders readers) {
    this.readers = readers;
    this.partitions = topic.partitions().toArray(new Partition[0]);
    this.positions = new long[partitions.length];
    this.awaited = new CompletableFuture<?>[partitions.length];
    for (int p = 0; p < partitions.length; p++) {
      positions[p] = startOf(partitions[p].log(), start);
    }
    if (start.kind() == StreamOffset.Kind.TIMESTAMP) {
      seekMillis = Math.max(0, start.value());
    }
  }

  private static long startOf(Log log, StreamOffset start) {
    long first = log.startOffset();
    long next = log.highWatermark();
    return switch (start.kind()) {
      case FIRST, TIMESTAMP -> first;
      case LAST -> next > first ? next - 1 : next;
      case NEXT -> next;
      case OFFSET -> Math.min(Math.max(start.value(), first), next);
    };
  }

  /** Reads the topic's partitions beyond those known; returns how many are read now. */
  int widen(Topic topic) {
    if (topic.partitions().size() > partitions.length) {
      int before = partitions.length;
      partitions = topic.partitions().toArray(new Partition[0]);
      positions = Arrays.copyOf(positions, partitions.length);
      awaited = Arrays.copyOf(awaited, partitions.length);
      for (int p = before; p < partitions.length; p++) {
        positions[p] = partitions[p].log().startOffset();
      }
    }
    return partitions.length;
  }

  /** Positions each partition by the start's timestamp, if it had one not sought yet. */
  void seekTimestamp() throws IOException {
    if (seekMillis < 0) {
      return;
    }
    for (int p = 0; p < partitions.length; p++) {
      Log log = partitions[p].log();
      long batch = log.offsetForTimestamp(seekMillis);
      positions[p] =
          batch < 0 ? log.highWatermark() : firstAtOrAfter(partitions[p], batch, seekMillis);
    }
    seekMillis = -1;
  }

  private static long firstAtOrAfter(Partition partition, long batch, long millis)
      throws IOException {
    long[] found = {-1};
    try {
      long after =
          partition.readRecords(
              batch,
              1,
              record -> {
                if (found[0] < 0 && record.timestamp() >= millis) {
                  found[0] = record.offset();
                }
              });
      return found[0] >= 0 ? found[0] : after;
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException e) {
      return batch;
    }
  }

  /**
   * Reads a chunk of the next partition with data into {@code into}.
   *
   * @return false when every partition is caught up
   */
  boolean readChunk(Queue<LogRecord> into) throws IOException {
    int count = partitions.length;
    for (int i = 0; i < count; i++) {
      int p = (nextPartition + i) % count;
      if (positions[p] < partitions[p].log().highWatermark()) {
        nextPartition = (p + 1) % count;
        lastRead = p;
        read(p, into);
        return true;
      }
    }
    return false;
  }

  /**
   * The partition of the records the last {@link #readChunk} read, or -1 when the stream has one
   * partition (no consumer needs telling).
   */
  int chunkPartition() {
    return partitions.length > 1 ? lastRead : -1;
  }

  private void read(int p, Queue<LogRecord> into) throws IOException {
    Partition partition = partitions[p];
    long from = Math.max(positions[p], partition.log().startOffset());
    long[] last = {-1};
    long after;
    try {
      after =
          partition.readRecords(
              from,
              CHUNK_BYTES,
              record -> {
                into.add(record);
                last[0] = record.offset();
              });
    } catch (OffsetOutOfRangeException e) {
      positions[p] = Math.max(from, partition.log().startOffset());
      return;
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException e) {
      positions[p] = skipBatch(partition, last[0] >= 0 ? last[0] + 1 : from, e);
      return;
    }
    if (after <= from) {
      throw new IllegalStateException("no progress reading " + partition + " at " + from);
    }
    positions[p] = after;
  }

  /**
   * Skips the batch holding {@code offset}, which could not be decoded; returns the next offset.
   */
  private long skipBatch(Partition partition, long offset, RuntimeException cause)
      throws IOException {
    readers.onSkippedBatch();
    if (!skipReported) {
      skipReported = true;
      LOG.warn(
          "{} has a batch stream consumers cannot read at offset {}; skipped (counted after): {}",
          partition,
          offset,
          cause.toString());
    }
    FileSlice slice = partition.log().read(offset, RecordBatch.HEADER_SIZE, false);
    if (slice.size() < RecordBatch.HEADER_SIZE) {
      return offset + 1;
    }
    ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
    slice.readInto(header);
    return Math.max(offset + 1, new RecordBatch().wrap(header.flip(), 0).lastOffset() + 1);
  }

  /** Runs {@code wake} when any partition has data past its position (once per signal). */
  void awaitData(Runnable wake) {
    for (int p = 0; p < partitions.length; p++) {
      CompletableFuture<Void> signal = partitions[p].dataAfter(positions[p]);
      if (signal != awaited[p]) {
        awaited[p] = signal;
        signal.thenRun(wake);
      }
    }
  }
}
