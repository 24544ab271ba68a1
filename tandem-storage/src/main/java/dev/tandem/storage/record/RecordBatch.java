package dev.tandem.storage.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Flyweight over one Kafka record batch, magic v2, at an offset of a {@link ByteBuffer}. Allocated
 * once and re-wrapped; it copies nothing.
 *
 * <pre>
 *   offset  size  field
 *   0       8     baseOffset            assigned by the log on append
 *   8       4     batchLength           bytes after this field: total size - 12
 *   12      4     partitionLeaderEpoch
 *   16      1     magic                 always 2
 *   17      4     crc                   CRC-32C of bytes [21, end)
 *   21      2     attributes            bits 0-2 compression, 3 timestamp type,
 *                                       4 transactional, 5 control
 *   23      4     lastOffsetDelta
 *   27      8     baseTimestamp
 *   35      8     maxTimestamp
 *   43      8     producerId
 *   51      2     producerEpoch
 *   53      4     baseSequence
 *   57      4     recordCount
 *   61      ...   records (compressed as a whole when compression != 0)
 * </pre>
 *
 * Because the CRC starts at {@code attributes}, the base offset and the leader epoch can be written
 * in place without recomputing it. Not thread-safe.
 */
public final class RecordBatch {
  public static final byte MAGIC = 2;
  public static final int BASE_OFFSET_OFFSET = 0;
  public static final int LENGTH_OFFSET = 8;
  public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
  public static final int MAGIC_OFFSET = 16;
  public static final int CRC_OFFSET = 17;
  public static final int ATTRIBUTES_OFFSET = 21;
  public static final int LAST_OFFSET_DELTA_OFFSET = 23;
  public static final int BASE_TIMESTAMP_OFFSET = 27;
  public static final int MAX_TIMESTAMP_OFFSET = 35;
  public static final int PRODUCER_ID_OFFSET = 43;
  public static final int PRODUCER_EPOCH_OFFSET = 51;
  public static final int BASE_SEQUENCE_OFFSET = 53;
  public static final int RECORD_COUNT_OFFSET = 57;
  public static final int HEADER_SIZE = 61;

  /** Bytes before and including the length field: the part not counted by batchLength. */
  public static final int LOG_OVERHEAD = 12;

  public static final int COMPRESSION_MASK = 0x07;
  public static final int TIMESTAMP_TYPE_MASK = 0x08;
  public static final int TRANSACTIONAL_MASK = 0x10;
  public static final int CONTROL_MASK = 0x20;

  public static final long NO_PRODUCER_ID = -1L;
  public static final short NO_PRODUCER_EPOCH = -1;
  public static final int NO_SEQUENCE = -1;
  public static final long NO_TIMESTAMP = -1L;

  private ByteBuffer buffer;
  private int offset;

  /** Points this flyweight at the batch starting at {@code offset}; returns this. */
  public RecordBatch wrap(ByteBuffer buffer, int offset) {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  public int offset() {
    return offset;
  }

  public long baseOffset() {
    return buffer.getLong(offset + BASE_OFFSET_OFFSET);
  }

  public void baseOffset(long baseOffset) {
    buffer.putLong(offset + BASE_OFFSET_OFFSET, baseOffset);
  }

  public int batchLength() {
    return buffer.getInt(offset + LENGTH_OFFSET);
  }

  /** Total bytes of this batch, header included. */
  public int sizeInBytes() {
    return LOG_OVERHEAD + batchLength();
  }

  public int partitionLeaderEpoch() {
    return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET);
  }

  public void partitionLeaderEpoch(int epoch) {
    buffer.putInt(offset + PARTITION_LEADER_EPOCH_OFFSET, epoch);
  }

  public byte magic() {
    return buffer.get(offset + MAGIC_OFFSET);
  }

  public long crc() {
    return Integer.toUnsignedLong(buffer.getInt(offset + CRC_OFFSET));
  }

  public short attributes() {
    return buffer.getShort(offset + ATTRIBUTES_OFFSET);
  }

  public void attributes(short attributes) {
    buffer.putShort(offset + ATTRIBUTES_OFFSET, attributes);
  }

  /** Kafka's compression type id: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  public int compression() {
    return attributes() & COMPRESSION_MASK;
  }

  public boolean isLogAppendTime() {
    return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
  }

  public boolean isTransactional() {
    return (attributes() & TRANSACTIONAL_MASK) != 0;
  }

  public boolean isControl() {
    return (attributes() & CONTROL_MASK) != 0;
  }

  public int lastOffsetDelta() {
    return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET);
  }

  public long lastOffset() {
    return baseOffset() + lastOffsetDelta();
  }

  public long baseTimestamp() {
    return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET);
  }

  public long maxTimestamp() {
    return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET);
  }

  public void maxTimestamp(long timestamp) {
    buffer.putLong(offset + MAX_TIMESTAMP_OFFSET, timestamp);
  }

  public long producerId() {
    return buffer.getLong(offset + PRODUCER_ID_OFFSET);
  }

  public short producerEpoch() {
    return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET);
  }

  public int baseSequence() {
    return buffer.getInt(offset + BASE_SEQUENCE_OFFSET);
  }

  public int recordCount() {
    return buffer.getInt(offset + RECORD_COUNT_OFFSET);
  }

  /** Computes the CRC-32C over {@code [attributes, end)}, as stored in the crc field. */
  public long computeCrc() {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buffer.duplicate();
    view.limit(offset + sizeInBytes()).position(offset + ATTRIBUTES_OFFSET);
    crc.update(view);
    return crc.getValue();
  }

  /** Recomputes and stores the CRC, after a change to a field it covers. */
  public void updateCrc() {
    buffer.putInt(offset + CRC_OFFSET, (int) computeCrc());
  }

  /**
   * Checks the batch that starts at {@code offset} and ends no later than {@code limit}: its length
   * fits, its magic is 2, its offsets are sane and its CRC matches. Returns null when it is valid,
   * otherwise why not. Reads the length before trusting anything else.
   */
  public String validate(int limit) {
    int available = limit - offset;
    if (available < HEADER_SIZE) {
      return "batch header truncated: " + available + " bytes";
    }
    int length = batchLength();
    if (length < HEADER_SIZE - LOG_OVERHEAD || length > available - LOG_OVERHEAD) {
      return "batch length " + length + " outside [49, " + (available - LOG_OVERHEAD) + "]";
    }
    if (magic() != MAGIC) {
      return "unsupported magic " + magic();
    }
    if (lastOffsetDelta() < 0 || recordCount() < 0) {
      return "negative lastOffsetDelta " + lastOffsetDelta() + " or count " + recordCount();
    }
    if (computeCrc() != crc()) {
      return "CRC mismatch";
    }
    return null;
  }
}
