package dev.tandem.storage.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes uncompressed Kafka record batches (magic v2) for producers inside the broker: AMQP
 * publishes, internal state records, tests. Each record is
 *
 * <pre>
 *   length          varint   bytes after this field
 *   attributes      int8     unused, 0
 *   timestampDelta  varlong  from the batch's baseTimestamp
 *   offsetDelta     varint
 *   keyLength       varint   -1 for a null key
 *   key             bytes
 *   valueLength     varint   -1 for a null value
 *   value           bytes
 *   headerCount     varint
 *   headers         [keyLength varint, key UTF-8, valueLength varint, value]
 * </pre>
 *
 * Not thread-safe; one builder makes one batch.
 */
public final class RecordBatchBuilder {
  /** One header of a record; a null value is allowed, as in Kafka. */
  public record Header(String key, byte[] value) {}

  private ByteBuffer buffer;
  private final long baseTimestamp;
  private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
  private int count;
  private long producerId = RecordBatch.NO_PRODUCER_ID;
  private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
  private int baseSequence = RecordBatch.NO_SEQUENCE;

  public RecordBatchBuilder(long baseTimestamp) {
    this(baseTimestamp, 256);
  }

  public RecordBatchBuilder(long baseTimestamp, int initialCapacity) {
    this.baseTimestamp = baseTimestamp;
    this.buffer = ByteBuffer.allocate(Math.max(initialCapacity, RecordBatch.HEADER_SIZE + 16));
    this.buffer.position(RecordBatch.HEADER_SIZE);
  }

  /** Marks the batch as written by an idempotent producer. */
  public RecordBatchBuilder producer(long id, short epoch, int sequence) {
    this.producerId = id;
    this.producerEpoch = epoch;
    this.baseSequence = sequence;
    return this;
  }

  public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
    return append(timestamp, key, value, List.of());
  }

  public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
    byte[][] headerKeys = new byte[headers.size()][];
    for (int i = 0; i < headerKeys.length; i++) {
      headerKeys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
    }
    int bodySize = bodySize(timestamp, key, value, headers, headerKeys);
    ensure(Varint.sizeOfInt(bodySize) + bodySize);
    Varint.writeInt(buffer, bodySize);
    buffer.put((byte) 0);
    Varint.writeLong(buffer, timestamp - baseTimestamp);
    Varint.writeInt(buffer, count);
    writeBytes(key);
    writeBytes(value);
    Varint.writeInt(buffer, headers.size());
    for (int i = 0; i < headerKeys.length; i++) {
      Varint.writeInt(buffer, headerKeys[i].length);
      buffer.put(headerKeys[i]);
      writeBytes(headers.get(i).value());
    }
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    count++;
    return this;
  }

  public int recordCount() {
    return count;
  }

  /** Completes the header and returns the batch, positioned at 0, base offset 0. */
  public ByteBuffer build() {
    if (count == 0) {
      throw new IllegalStateException("a record batch holds at least one record");
    }
    int size = buffer.position();
    ByteBuffer batch = buffer;
    batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, 0L);
    batch.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
    batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, 0);
    batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
    batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 0);
    batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, count - 1);
    batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
    batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp);
    batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
    batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
    batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
    batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, count);
    batch.flip();
    new RecordBatch().wrap(batch, 0).updateCrc();
    buffer = null;
    return batch;
  }

  private int bodySize(
      long timestamp, byte[] key, byte[] value, List<Header> headers, byte[][] headerKeys) {
    int size = 1 + Varint.sizeOfLong(timestamp - baseTimestamp) + Varint.sizeOfInt(count);
    size += sizeOfBytes(key) + sizeOfBytes(value) + Varint.sizeOfInt(headers.size());
    for (int i = 0; i < headerKeys.length; i++) {
      int keyLength = headerKeys[i].length;
      size += Varint.sizeOfInt(keyLength) + keyLength + sizeOfBytes(headers.get(i).value());
    }
    return size;
  }

  private static int sizeOfBytes(byte[] bytes) {
    return bytes == null ? 1 : Varint.sizeOfInt(bytes.length) + bytes.length;
  }

  private void writeBytes(byte[] bytes) {
    if (bytes == null) {
      Varint.writeInt(buffer, -1);
    } else {
      Varint.writeInt(buffer, bytes.length);
      buffer.put(bytes);
    }
  }

  private void ensure(int more) {
    if (buffer.remaining() >= more) {
      return;
    }
    int capacity = Math.max(buffer.capacity() * 2, buffer.position() + more);
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    buffer.flip();
    bigger.put(buffer);
    buffer = bigger;
  }
}
