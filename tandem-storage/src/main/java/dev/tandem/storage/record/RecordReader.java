package dev.tandem.storage.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the records of stored batches, uncompressed or compressed with any of Kafka's codecs (gzip,
 * snappy, lz4, zstd; see {@link CompressionCodec}). Records have the layout drawn in {@link
 * RecordBatchBuilder}; in a compressed batch that layout is what the records section inflates to. A
 * compressed batch is inflated whole into a heap buffer of at most {@code maxDecompressedBytes}.
 * Used by readers inside the broker; Kafka consumers receive batches untouched. Stateless and
 * thread-safe.
 */
public final class RecordReader {
  /** The default bound on the records of one batch once decompressed. */
  public static final int MAX_DECOMPRESSED_BYTES = 64 << 20;

  private RecordReader() {}

  /**
   * Calls {@code sink} for each record of the whole batches in {@code buffer}, from its position to
   * its limit; a trailing partial batch is ignored. Decompresses batches up to {@link
   * #MAX_DECOMPRESSED_BYTES}. Returns the bytes of whole batches read.
   *
   * @throws IllegalArgumentException for malformed records or compressed data, an unknown codec, or
   *     a batch larger than the bound once decompressed
   */
  public static int forEach(ByteBuffer buffer, Consumer<LogRecord> sink) {
    return forEach(buffer, MAX_DECOMPRESSED_BYTES, sink);
  }

  /**
   * As {@link #forEach(ByteBuffer, Consumer)}, refusing a batch whose records decompress to more
   * than {@code maxDecompressedBytes}.
   */
  public static int forEach(ByteBuffer buffer, int maxDecompressedBytes, Consumer<LogRecord> sink) {
    if (maxDecompressedBytes < 0) {
      throw new IllegalArgumentException("negative bound " + maxDecompressedBytes);
    }
    RecordBatch batch = new RecordBatch();
    int at = buffer.position();
    while (buffer.limit() - at >= RecordBatch.HEADER_SIZE) {
      batch.wrap(buffer, at);
      int size = batch.sizeInBytes();
      if (size > buffer.limit() - at || size < RecordBatch.HEADER_SIZE) {
        break;
      }
      ByteBuffer records =
          buffer.duplicate().limit(at + size).position(at + RecordBatch.HEADER_SIZE);
      if (batch.compression() != 0) {
        records =
            CompressionCodec.of(batch.compression()).decompress(records, maxDecompressedBytes);
      }
      try {
        readRecords(records, batch, sink);
      } catch (BufferUnderflowException e) {
        throw new IllegalArgumentException("records run past the end of their batch", e);
      }
      at += size;
    }
    return at - buffer.position();
  }

  private static void readRecords(ByteBuffer records, RecordBatch batch, Consumer<LogRecord> sink) {
    long base = batch.baseOffset();
    long baseTimestamp = batch.baseTimestamp();
    boolean appendTime = batch.isLogAppendTime();
    for (int i = 0; i < batch.recordCount(); i++) {
      int length = Varint.readInt(records);
      int end = records.position() + length;
      records.get();
      long timestamp = baseTimestamp + Varint.readLong(records);
      int offsetDelta = Varint.readInt(records);
      byte[] key = readBytes(records);
      byte[] value = readBytes(records);
      int headerCount = Varint.readInt(records);
      List<RecordBatchBuilder.Header> headers =
          new ArrayList<>(Math.max(0, Math.min(headerCount, 64)));
      for (int h = 0; h < headerCount; h++) {
        byte[] headerKey = readBytes(records);
        if (headerKey == null) {
          throw new IllegalArgumentException("null header key");
        }
        headers.add(
            new RecordBatchBuilder.Header(
                new String(headerKey, StandardCharsets.UTF_8), readBytes(records)));
      }
      if (records.position() != end) {
        throw new IllegalArgumentException(
            "record length " + length + " does not match its fields");
      }
      sink.accept(
          new LogRecord(
              base + offsetDelta,
              appendTime ? batch.maxTimestamp() : timestamp,
              key,
              value,
              headers));
    }
  }

  private static byte[] readBytes(ByteBuffer buffer) {
    int length = Varint.readInt(buffer);
    if (length < 0) {
      return null;
    }
    if (length > buffer.remaining()) {
      throw new IllegalArgumentException("field of " + length + " bytes past the record's end");
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }
}
