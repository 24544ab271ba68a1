package dev.tandem.storage.log;

import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatch;
import dev.tandem.storage.record.RecordBatchBuilder;
import dev.tandem.storage.record.RecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Reads what a log holds, for tests: records as comparable values, segment files as on disk. */
public final class LogContents {
  private static final HexFormat HEX = HexFormat.of();

  private LogContents() {}

  /**
   * One record as read back: key and value in hex (null stays null), so that lists compare.
   *
   * @param offset the record's offset
   * @param key the key in hex, or null
   * @param value the value in hex, or null
   * @param timestamp the record's timestamp
   */
  public record Entry(long offset, String key, String value, long timestamp) {
    static Entry of(LogRecord record) {
      return new Entry(record.offset(), hex(record.key()), hex(record.value()), record.timestamp());
    }
  }

  /**
   * A segment data file on disk.
   *
   * @param baseOffset the base offset in its name
   * @param size its size in bytes
   */
  public record SegmentFile(long baseOffset, long size) {}

  public static String hex(byte[] bytes) {
    return bytes == null ? null : HEX.formatHex(bytes);
  }

  /** Every record of the whole batches in {@code batches}. */
  public static List<Entry> entries(ByteBuffer batches) {
    List<Entry> entries = new ArrayList<>();
    RecordReader.forEach(batches, record -> entries.add(Entry.of(record)));
    return entries;
  }

  /**
   * Reads every record from {@code offset} up to the high watermark, {@code maxBytes} at a time,
   * checking on the way that each read starts at the batch holding the offset asked for.
   */
  public static List<Entry> readFrom(Log log, long offset, int maxBytes) throws IOException {
    List<Entry> records = new ArrayList<>();
    long next = offset;
    long highWatermark = log.highWatermark();
    while (next < highWatermark) {
      FileSlice slice = log.read(next, maxBytes, true);
      if (slice.isEmpty()) {
        throw new AssertionError(
            "empty read at " + next + " below high watermark " + highWatermark);
      }
      List<Entry> read = entries(slice.readAll());
      if (read.isEmpty() || read.get(0).offset() > next) {
        throw new AssertionError("read at " + next + " did not start at its batch: " + read);
      }
      for (Entry entry : read) {
        if (entry.offset() >= next) {
          records.add(entry);
        }
      }
      next = read.get(read.size() - 1).offset() + 1;
    }
    return records;
  }

  /** Reads the whole log from its start offset. */
  public static List<Entry> readAll(Log log) throws IOException {
    return readFrom(log, log.startOffset(), 1 << 20);
  }

  /** The segment data files in {@code dir}, oldest first; files renamed for deletion excluded. */
  public static List<SegmentFile> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<SegmentFile> segments = new ArrayList<>();
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = String.valueOf(file.getFileName());
        if (name.endsWith(LogSegment.LOG_SUFFIX)) {
          long base =
              Long.parseLong(name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length()));
          segments.add(new SegmentFile(base, Files.size(file)));
        }
      }
      segments.sort(Comparator.comparingLong(SegmentFile::baseOffset));
      return segments;
    }
  }

  /**
   * One batch as found in a segment file.
   *
   * @param position where it starts in the file
   * @param size its size in bytes
   * @param baseOffset its base offset
   * @param maxTimestamp its max timestamp
   * @param records its records
   */
  public record StoredBatch(
      int position, int size, long baseOffset, long maxTimestamp, List<Entry> records) {
    public long lastOffset() {
      return records.get(records.size() - 1).offset();
    }
  }

  /** Parses a segment data file into its batches; stops at the first that does not fit. */
  public static List<StoredBatch> batchesIn(Path segmentFile) throws IOException {
    ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(segmentFile));
    List<StoredBatch> batches = new ArrayList<>();
    RecordBatch batch = new RecordBatch();
    int at = 0;
    while (at + RecordBatch.HEADER_SIZE <= data.limit()) {
      batch.wrap(data, at);
      int size = batch.sizeInBytes();
      if (size < RecordBatch.HEADER_SIZE || size > data.limit() - at) {
        break;
      }
      List<Entry> records = entries(data.duplicate().limit(at + size).position(at));
      batches.add(new StoredBatch(at, size, batch.baseOffset(), batch.maxTimestamp(), records));
      at += size;
    }
    return batches;
  }

  /** A batch of records with the given values (UTF-8), no keys, all at {@code timestamp}. */
  public static ByteBuffer batch(long timestamp, String... values) {
    RecordBatchBuilder builder = new RecordBatchBuilder(timestamp);
    for (String value : values) {
      builder.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  /** Concatenates batches into one buffer for a single append. */
  public static ByteBuffer concat(List<ByteBuffer> batches) {
    int size = batches.stream().mapToInt(ByteBuffer::remaining).sum();
    ByteBuffer all = ByteBuffer.allocate(size);
    batches.forEach(batch -> all.put(batch.duplicate()));
    return all.flip();
  }

  /**
   * A fresh directory for a property test's try, on a memory file system when the machine has one:
   * model tests check logic, and thousands of fsyncs on a real disk would only make them slow.
   */
  public static Path scratchDirectory(String prefix) throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return Files.createTempDirectory(shm, prefix);
    }
    return Files.createTempDirectory(prefix);
  }

  /** Deletes a directory tree; used where JUnit's {@code @TempDir} is not available (jqwik). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    }
  }
}
