package dev.tandem.storage.log;

import dev.tandem.storage.index.SparseIndex;
import dev.tandem.storage.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a log: a data file of record batches named by its 20-digit base offset ({@code
 * 00000000000000000042.log}), with a sparse offset index ({@code .index}: offset to file position)
 * and time index ({@code .timeindex}: largest timestamp so far to offset) beside it.
 *
 * <p>Indexes of the active segment live in memory and are written whole when the segment is sealed
 * or closed; a sealed segment loads its indexes lazily and rebuilds them from the data when they
 * are missing or damaged.
 *
 * <p>Thread-safety: one writer at a time (the owning {@link Log} serialises appends, truncation,
 * sealing and recovery); reads may run concurrently on any thread.
 */
final class LogSegment {
  static final String LOG_SUFFIX = ".log";
  static final String INDEX_SUFFIX = ".index";
  static final String TIME_INDEX_SUFFIX = ".timeindex";
  static final String DELETED_SUFFIX = ".deleted";
  private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
  private static final int HEADER_PEEK = RecordBatch.LAST_OFFSET_DELTA_OFFSET + 4;

  private final long baseOffset;
  private final int indexIntervalBytes;
  private Path logFile;
  private final FileChannel channel;
  private volatile int size;
  private volatile long nextOffset;
  private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
  private volatile long offsetOfMaxTimestamp = -1;
  private final long createdMs;
  private volatile SparseIndex offsetIndex;
  private volatile SparseIndex timeIndex;

  /** Where the batch of the last offset index entry starts (0 before the first entry). */
  private volatile int lastIndexedPosition;

  private volatile boolean sealed;

  private LogSegment(
      Path logFile, long baseOffset, int indexIntervalBytes, FileChannel channel, long createdMs) {
    this.logFile = logFile;
    this.createdMs = createdMs;
    this.baseOffset = baseOffset;
    this.indexIntervalBytes = indexIntervalBytes;
    this.channel = channel;
    this.nextOffset = baseOffset;
  }

  static String fileName(long offset, String suffix) {
    return String.format("%020d%s", offset, suffix);
  }

  /** Creates an empty active segment. */
  static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs)
      throws IOException {
    Path file = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    LogSegment segment = new LogSegment(file, baseOffset, indexIntervalBytes, channel, nowMs);
    segment.offsetIndex = SparseIndex.empty();
    segment.timeIndex = SparseIndex.empty();
    return segment;
  }

  /**
   * Opens an existing segment. A segment to be recovered or made active is scanned or loaded now; a
   * sealed one reads only its first batch header and defers its indexes to first use.
   */
  static LogSegment open(Path file, int indexIntervalBytes) throws IOException {
    String name = String.valueOf(file.getFileName());
    long base = Long.parseLong(name.substring(0, name.length() - LOG_SUFFIX.length()));
    long created = Files.readAttributes(file, BasicFileAttributes.class).creationTime().toMillis();
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    LogSegment segment = new LogSegment(file, base, indexIntervalBytes, channel, created);
    segment.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
    segment.sealed = true;
    return segment;
  }

  long baseOffset() {
    return baseOffset;
  }

  int size() {
    return size;
  }

  /** One past the last offset in this segment; the base offset while it is empty. */
  long nextOffset() {
    return nextOffset;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long maxTimestamp() throws IOException {
    ensureIndexes();
    return maxTimestamp;
  }

  /**
   * When the segment file was created; segment.ms ages from here. Kafka ages from the first batch's
   * timestamp, which lets a producer with an old clock roll a segment per append; the file's own
   * time cannot be set by a client.
   */
  long createdMs() {
    return createdMs;
  }

  /**
   * Writes batches that already carry their assigned offsets. On failure the file is cut back to
   * its previous size, so a partial write leaves nothing behind.
   */
  void append(ByteBuffer batches, long lastOffset) throws IOException {
    int position = size;
    int length = batches.remaining();
    int start = batches.position();
    try {
      long at = position;
      while (batches.hasRemaining()) {
        at += channel.write(batches, at);
      }
    } catch (IOException e) {
      try {
        channel.truncate(position);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    indexBatches(batches, start, length, position);
    size = position + length;
    nextOffset = lastOffset + 1;
  }

  private void indexBatches(ByteBuffer batches, int start, int length, int position) {
    RecordBatch batch = new RecordBatch();
    int at = start;
    while (at < start + length) {
      batch.wrap(batches, at);
      onBatch(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), position);
      position += batch.sizeInBytes();
      at += batch.sizeInBytes();
    }
  }

  /**
   * Keeps the indexes sparse, as Kafka does: an entry once more than index.interval.bytes were
   * appended since the last one. A time index entry is the largest timestamp so far and its offset.
   */
  private void onBatch(long base, long last, long batchMaxTimestamp, int position) {
    if (batchMaxTimestamp > maxTimestamp) {
      maxTimestamp = batchMaxTimestamp;
      offsetOfMaxTimestamp = last;
    }
    if (position - lastIndexedPosition > indexIntervalBytes) {
      offsetIndex.append(base, position);
      if (maxTimestamp > timeIndex.lastKey(Long.MIN_VALUE)) {
        timeIndex.append(maxTimestamp, (int) (offsetOfMaxTimestamp - baseOffset));
      }
      lastIndexedPosition = position;
    }
  }

  void flush() throws IOException {
    channel.force(false);
  }

  /**
   * Returns the file position of the first batch whose last offset is at least {@code offset}, or
   * -1 when no batch below {@code maxPosition} reaches it.
   */
  int positionOf(long offset, int maxPosition) throws IOException {
    ensureIndexes();
    int entry = offsetIndex.floor(offset);
    int position = entry < 0 ? 0 : offsetIndex.valueAt(entry);
    ByteBuffer header = ByteBuffer.allocate(HEADER_PEEK);
    while (position < maxPosition) {
      if (!readHeader(header, position)) {
        return -1;
      }
      long last = header.getLong(0) + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
      if (last >= offset) {
        return position;
      }
      position += RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
    }
    return -1;
  }

  /**
   * Reads from the batch holding {@code offset}, up to {@code maxPosition} and {@code maxBytes}.
   */
  FileSlice read(long offset, int maxBytes, int maxPosition, boolean minOneBatch)
      throws IOException {
    int limit = Math.min(maxPosition, size);
    int position = positionOf(offset, limit);
    if (position < 0) {
      return FileSlice.empty(offset);
    }
    int available = limit - position;
    int length = Math.min(available, maxBytes);
    if (minOneBatch && length < available) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_PEEK);
      readHeader(header, position);
      int first = RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
      length = Math.min(available, Math.max(length, first));
    }
    return new FileSlice(channel, position, length, offset);
  }

  /**
   * First offset of a batch whose max timestamp is at least {@code timestamp}, or -1. Kafka returns
   * the exact record; for a batch the caller can refine by reading its records.
   */
  long batchOffsetForTimestamp(long timestamp) throws IOException {
    ensureIndexes();
    int entry = timeIndex.floor(timestamp - 1);
    long startOffset = entry < 0 ? baseOffset : baseOffset + timeIndex.valueAt(entry);
    int position = positionOf(startOffset, size);
    ByteBuffer header = ByteBuffer.allocate(RecordBatch.MAX_TIMESTAMP_OFFSET + 8);
    while (position >= 0 && position < size && readHeader(header, position)) {
      if (header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET) >= timestamp) {
        return header.getLong(0);
      }
      position += RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
    }
    return -1;
  }

  private boolean readHeader(ByteBuffer header, int position) throws IOException {
    header.clear();
    while (header.hasRemaining()) {
      int read = channel.read(header, position + header.position());
      if (read < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Scans the data file from the start, checking each batch's length, magic, CRC and offsets,
   * rebuilds both indexes, and cuts the file at the first invalid batch. Returns the bytes cut.
   *
   * <p>The base offset lies outside the CRC, so it is checked against the offsets the log assigns:
   * with no compaction they are dense, and each batch starts where the one before it ended.
   */
  int recover(int maxBatchBytes) throws IOException {
    offsetIndex = SparseIndex.empty();
    timeIndex = SparseIndex.empty();
    maxTimestamp = RecordBatch.NO_TIMESTAMP;
    offsetOfMaxTimestamp = -1;
    lastIndexedPosition = 0;
    long fileSize = channel.size();
    int position = 0;
    long next = baseOffset;
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    RecordBatch batch = new RecordBatch();
    String problem = null;
    while (position < fileSize) {
      buffer.clear().limit(RecordBatch.LOG_OVERHEAD);
      if (!readFully(buffer, position)) {
        problem = "truncated length field";
        break;
      }
      int total = RecordBatch.LOG_OVERHEAD + buffer.getInt(RecordBatch.LENGTH_OFFSET);
      if (total < RecordBatch.HEADER_SIZE || total > fileSize - position) {
        problem = "batch length " + total + " does not fit";
        break;
      }
      if (total > buffer.capacity()) {
        buffer = ByteBuffer.allocate(Math.max(total, buffer.capacity() * 2));
      }
      buffer.clear().limit(total);
      readFully(buffer, position);
      batch.wrap(buffer, 0);
      problem = batch.validate(total);
      if (problem == null && batch.baseOffset() != next) {
        problem = "base offset " + batch.baseOffset() + " where " + next + " was expected";
      }
      if (problem != null) {
        break;
      }
      onBatch(batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp(), position);
      next = batch.lastOffset() + 1;
      position += total;
    }
    int cut = (int) (fileSize - position);
    if (cut > 0) {
      LOG.warn(
          "recovery cut {} bytes of {} at position {}: {}",
          cut,
          logFile,
          position,
          problem == null ? "trailing bytes" : problem);
      channel.truncate(position);
      channel.force(true);
    }
    size = position;
    nextOffset = next;
    sealed = false;
    return cut;
  }

  private boolean readFully(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        return false;
      }
      at += read;
    }
    return true;
  }

  /** Makes a reopened segment the active one: its indexes must be loaded or rebuilt, mutable. */
  void activate(int maxBatchBytes) throws IOException {
    SparseIndex offsets = SparseIndex.load(sibling(INDEX_SUFFIX));
    SparseIndex times = SparseIndex.load(sibling(TIME_INDEX_SUFFIX));
    if (offsets == null || times == null || !loadTail(offsets, times)) {
      recover(maxBatchBytes);
      return;
    }
    offsetIndex = offsets.mutableCopy();
    timeIndex = times.mutableCopy();
    sealed = false;
  }

  /**
   * Writes both indexes whole and maps them read-only. The data must already be flushed by the
   * caller when it matters.
   */
  void seal() throws IOException {
    if (sealed) {
      return;
    }
    writeIndexes();
    sealed = true;
    offsetIndex = SparseIndex.load(sibling(INDEX_SUFFIX));
    timeIndex = SparseIndex.load(sibling(TIME_INDEX_SUFFIX));
  }

  /** Writes both indexes whole, leaving the segment active. Used at clean close. */
  void writeIndexes() throws IOException {
    if (maxTimestamp > timeIndex.lastKey(Long.MIN_VALUE)) {
      timeIndex.append(maxTimestamp, (int) (offsetOfMaxTimestamp - baseOffset));
    }
    offsetIndex.writeTo(sibling(INDEX_SUFFIX));
    timeIndex.writeTo(sibling(TIME_INDEX_SUFFIX));
  }

  /** Removes every batch at or after the batch holding {@code offset}. */
  void truncateTo(long offset) throws IOException {
    int position = positionOf(offset, size);
    if (position < 0) {
      return;
    }
    channel.truncate(position);
    channel.force(true);
    recover(Integer.MAX_VALUE);
  }

  private synchronized void ensureIndexes() throws IOException {
    if (offsetIndex != null && timeIndex != null) {
      return;
    }
    SparseIndex offsets = SparseIndex.load(sibling(INDEX_SUFFIX));
    SparseIndex times = SparseIndex.load(sibling(TIME_INDEX_SUFFIX));
    if (offsets != null && times != null && loadTail(offsets, times)) {
      offsetIndex = offsets;
      timeIndex = times;
      return;
    }
    LOG.info("rebuilding indexes of {}", logFile);
    recover(Integer.MAX_VALUE);
    seal();
  }

  /**
   * Derives what the indexes do not hold (next offset, largest timestamp) by reading batch headers
   * from the last indexed position to the end. Returns false when the indexes and the data
   * disagree, and the caller rebuilds.
   */
  private boolean loadTail(SparseIndex offsets, SparseIndex times) throws IOException {
    int entry = offsets.count() - 1;
    int position = entry < 0 ? 0 : offsets.valueAt(entry);
    if (position > size || (entry >= 0 && offsets.keyAt(entry) < baseOffset)) {
      return false;
    }
    ByteBuffer header = ByteBuffer.allocate(RecordBatch.MAX_TIMESTAMP_OFFSET + 8);
    long next = entry < 0 ? baseOffset : offsets.keyAt(entry);
    long max = times.lastKey(RecordBatch.NO_TIMESTAMP);
    long offsetOfMax = times.count() == 0 ? -1 : baseOffset + times.lastValue(0);
    int indexed = position;
    while (position < size) {
      if (!readHeader(header, position)) {
        return false;
      }
      int total = RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_OFFSET);
      if (total < RecordBatch.HEADER_SIZE || total > size - position) {
        return false;
      }
      next = header.getLong(0) + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET) + 1;
      long batchMax = header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
      if (batchMax > max) {
        max = batchMax;
        offsetOfMax = next - 1;
      }
      position += total;
    }
    nextOffset = next;
    maxTimestamp = max;
    offsetOfMaxTimestamp = offsetOfMax;
    lastIndexedPosition = indexed;
    return true;
  }

  Path sibling(String suffix) {
    return logFile.resolveSibling(fileName(baseOffset, suffix));
  }

  /**
   * Renames the files to {@code .deleted}; {@link #deleteFiles} removes them after a grace. An
   * earlier segment of the same base offset (removed by a truncation) may still wait there: its
   * names are replaced, and readers holding its channel keep reading the unlinked file.
   */
  void markDeleted() throws IOException {
    for (String suffix : new String[] {INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
      Path file = sibling(suffix);
      if (Files.exists(file)) {
        Files.move(
            file,
            file.resolveSibling(file.getFileName() + DELETED_SUFFIX),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path renamed = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
    Files.move(
        logFile, renamed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    logFile = renamed;
  }

  /**
   * Closes and removes the files. After {@link #markDeleted} only the renamed files are this
   * segment's: a new segment may have taken the base offset, and with it the plain names.
   */
  void deleteFiles() throws IOException {
    channel.close();
    boolean renamed = String.valueOf(logFile.getFileName()).endsWith(DELETED_SUFFIX);
    Files.deleteIfExists(logFile);
    String prefix = fileName(baseOffset, "");
    for (String suffix : new String[] {INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
      Files.deleteIfExists(
          logFile.resolveSibling(prefix + suffix + (renamed ? DELETED_SUFFIX : "")));
    }
  }

  void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return logFile.toString();
  }
}
