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
 *   delivered       varint    optional, absent when 0: offsets delivered above deliveredUpTo
 *   offsets         delivered x varlong, deltas as above
 * </pre>
 *
 * <p>A queue delivering in offset order needs only {@code deliveredUpTo}; a priority queue also
 * names the messages it delivers ahead of lower offsets not yet delivered.
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
  private long[] deliveredAbove = new long[0];
  private int deliveredAboveCount;
  private long deliveredUpTo;
  private long flushedDeliveredUpTo;

  /** (end offset of an ack record in this log, largest message offset it acks), oldest first. */
  private final ArrayDeque<long[]> records = new ArrayDeque<>();

  public AckLog(Log log) {
    this.log = log;
  }

  /**
   * What a previous run left: the acked offsets at or above {@code from}, the delivered mark, and
   * the offsets at or above {@code from} delivered above the mark.
   */
  public record Recovered(TreeSet<Long> acked, long deliveredUpTo, TreeSet<Long> deliveredAbove) {}

  public Recovered recover(long from) throws IOException {
    TreeSet<Long> acked = new TreeSet<>();
    TreeSet<Long> deliveredAbove = new TreeSet<>();
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
            long max = readOffsets(value, from, acked);
            if (value.hasRemaining()) {
              max = Math.max(max, readOffsets(value, from, deliveredAbove));
            }
            records.add(new long[] {record.offset() + 1, max});
            next[0] = record.offset() + 1;
          });
      offset = next[0];
    }
    deliveredUpTo = delivered[0];
    flushedDeliveredUpTo = deliveredUpTo;
    return new Recovered(acked, deliveredUpTo, deliveredAbove);
  }

  /** Reads a count and its offsets, adding those at or above {@code from}; returns the largest. */
  private static long readOffsets(ByteBuffer value, long from, TreeSet<Long> into) {
    int count = Varint.readInt(value);
    long previous = 0;
    long max = -1;
    for (int i = 0; i < count; i++) {
      previous += Varint.readLong(value);
      max = Math.max(max, previous);
      if (previous >= from) {
        into.add(previous);
      }
    }
    return max;
  }

  void onDelivered(long offset) {
    deliveredUpTo = Math.max(deliveredUpTo, offset + 1);
  }

  /** Records that the message at {@code offset} was delivered while the mark is below it. */
  void onDeliveredAbove(long offset) {
    if (deliveredAboveCount == deliveredAbove.length) {
      deliveredAbove = Arrays.copyOf(deliveredAbove, Math.max(64, deliveredAbove.length * 2));
    }
    deliveredAbove[deliveredAboveCount++] = offset;
    if (pendingCount + deliveredAboveCount >= FLUSH_AFTER) {
      flush();
    }
  }

  /** Records that the message at {@code offset} is gone (acked, or released). */
  public void onAcked(long offset) {
    if (pendingCount == pending.length) {
      pending = Arrays.copyOf(pending, pending.length * 2);
    }
    pending[pendingCount++] = offset;
    if (pendingCount + deliveredAboveCount >= FLUSH_AFTER) {
      flush();
    }
  }

  /** Appends the buffered acks and deliveries, if any, as one record. */
  public void flush() {
    if (pendingCount == 0 && deliveredAboveCount == 0 && deliveredUpTo == flushedDeliveredUpTo) {
      return;
    }
    ByteBuffer value = ByteBuffer.allocate(21 + (pendingCount + deliveredAboveCount) * 10);
    Varint.writeLong(value, deliveredUpTo);
    long max = writeOffsets(value, pending, pendingCount);
    if (deliveredAboveCount > 0) {
      max = Math.max(max, writeOffsets(value, deliveredAbove, deliveredAboveCount));
    }
    byte[] bytes = Arrays.copyOf(value.array(), value.position());
    long now = System.currentTimeMillis();
    log.append(new RecordBatchBuilder(now).append(now, null, bytes).build());
    records.add(new long[] {log.endOffset(), max});
    flushedDeliveredUpTo = deliveredUpTo;
    pendingCount = 0;
    deliveredAboveCount = 0;
  }

  /** Writes a count and the offsets, sorted, as deltas; returns the largest (-1 for none). */
  private static long writeOffsets(ByteBuffer value, long[] offsets, int count) {
    Arrays.sort(offsets, 0, count);
    Varint.writeInt(value, count);
    long previous = 0;
    for (int i = 0; i < count; i++) {
      Varint.writeLong(value, offsets[i] - previous);
      previous = offsets[i];
    }
    return count == 0 ? -1 : offsets[count - 1];
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
