package dev.tandem.core.queue;

import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.record.RecordBatchBuilder;
import dev.tandem.storage.record.RecordReader;
import dev.tandem.storage.record.Varint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * The acknowledgements of a durable queue, so that acked messages stay gone after a restart and
 * unacked ones come back marked redelivered. Acks are buffered and appended in batches to a log of
 * their own (page-cache durability: losing the last batch in an OS crash only redelivers, which
 * at-least-once allows). Each record's value is
 *
 * <pre>
 *   deliveredUpTo   varlong   every offset below it was delivered at least once
 *   count           varint
 *   offsets         count x varlong, each the delta from the previous (the first from 0)
 * </pre>
 *
 * <p>The delayed messages' store keeps which held messages were released the same way ({@code
 * deliveredUpTo} stays 0 there).
 *
 * <p>Not thread-safe: its owner calls it under its own lock.
 */
public final class AckLog {
  private static final int FLUSH_AFTER = 512;

  private final Log log;
  private long[] pending = new long[64];
  private int pendingCount;
  private long deliveredUpTo;
  private long flushedDeliveredUpTo;

  /** (end offset of an ack record in this log, largest message offset it acks), oldest first. */
  private final ArrayDeque<long[]> records = new ArrayDeque<>();

  public AckLog(Log log) {
    this.log = log;
  }

  /**
   * What a previous run left: the acked offsets at or above {@code from} and the delivered mark.
   */
  public record Recovered(TreeSet<Long> acked, long deliveredUpTo) {}

  public Recovered recover(long from) throws IOException {
    TreeSet<Long> acked = new TreeSet<>();
    long[] delivered = {0};
    long offset = log.startOffset();
    while (offset < log.highWatermark()) {
      FileSlice slice = log.read(offset, 1 << 20, true);
      if (slice.isEmpty()) {
        break;
      }
      long[] next = {offset};
      RecordReader.forEach(
          slice.readAll(),
          record -> {
            ByteBuffer value = ByteBuffer.wrap(record.value());
            delivered[0] = Math.max(delivered[0], Varint.readLong(value));
            int count = Varint.readInt(value);
            long previous = 0;
            long max = -1;
            for (int i = 0; i < count; i++) {
              previous += Varint.readLong(value);
              max = Math.max(max, previous);
              if (previous >= from) {
                acked.add(previous);
              }
            }
            records.add(new long[] {record.offset() + 1, max});
            next[0] = record.offset() + 1;
          });
      offset = next[0];
    }
    deliveredUpTo = delivered[0];
    flushedDeliveredUpTo = deliveredUpTo;
    return new Recovered(acked, deliveredUpTo);
  }

  void onDelivered(long offset) {
    deliveredUpTo = Math.max(deliveredUpTo, offset + 1);
  }

  /** Records that the message at {@code offset} is gone (acked, or released). */
  public void onAcked(long offset) {
    if (pendingCount == pending.length) {
      pending = Arrays.copyOf(pending, pending.length * 2);
    }
    pending[pendingCount++] = offset;
    if (pendingCount >= FLUSH_AFTER) {
      flush();
    }
  }

  /** Appends the buffered acks, if any, as one record. */
  public void flush() {
    if (pendingCount == 0 && deliveredUpTo == flushedDeliveredUpTo) {
      return;
    }
    Arrays.sort(pending, 0, pendingCount);
    ByteBuffer value = ByteBuffer.allocate(16 + pendingCount * 10);
    Varint.writeLong(value, deliveredUpTo);
    Varint.writeInt(value, pendingCount);
    long previous = 0;
    for (int i = 0; i < pendingCount; i++) {
      Varint.writeLong(value, pending[i] - previous);
      previous = pending[i];
    }
    byte[] bytes = Arrays.copyOf(value.array(), value.position());
    long now = System.currentTimeMillis();
    long max = pendingCount == 0 ? -1 : pending[pendingCount - 1];
    log.append(new RecordBatchBuilder(now).append(now, null, bytes).build());
    records.add(new long[] {log.endOffset(), max});
    flushedDeliveredUpTo = deliveredUpTo;
    pendingCount = 0;
  }

  /** Drops ack records that only name offsets below {@code floor}: those messages are gone. */
  public void trim(long floor) throws IOException {
    long keepFrom = -1;
    while (records.size() > 1 && records.peekFirst()[1] < floor) {
      keepFrom = records.pollFirst()[0];
    }
    if (keepFrom > log.startOffset() && keepFrom <= log.highWatermark()) {
      log.deleteRecordsBefore(keepFrom);
    }
  }
}
