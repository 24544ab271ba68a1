package dev.tandem.benchmarks;

import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.ByteBuffer;

/**
 * A prebuilt record batch (magic v2, uncompressed) of {@code records} records whose values are
 * {@code recordBytes} bytes and whose keys are null, copied into a direct buffer as the network
 * layer would hand it over (a heap buffer would add a copy inside {@code FileChannel.write}).
 *
 * <p>{@code Log.append} writes the base offset into the buffer it gets and moves its position, so
 * each append takes a {@link #duplicate()}: fresh position and limit over the same bytes. Only the
 * base offset field changes between appends, and the CRC does not cover it.
 *
 * <p>Not thread-safe: each benchmark thread builds its own, because concurrent appends would write
 * their offsets into the shared bytes.
 */
public final class SampleBatch {
  private final ByteBuffer batch;
  private final int records;

  public SampleBatch(int records, int recordBytes) {
    long now = System.currentTimeMillis();
    RecordBatchBuilder builder = new RecordBatchBuilder(now, records * (recordBytes + 16) + 64);
    byte[] value = new byte[recordBytes];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) ('a' + i % 26);
    }
    for (int i = 0; i < records; i++) {
      builder.append(now, null, value);
    }
    ByteBuffer heap = builder.build();
    ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
    direct.put(heap).flip();
    this.batch = direct;
    this.records = records;
  }

  /** A view of the batch for one append, positioned at its start. */
  public ByteBuffer duplicate() {
    return batch.duplicate();
  }

  public int records() {
    return records;
  }

  /** The batch's size on disk: header and records. */
  public int sizeInBytes() {
    return batch.remaining();
  }
}
