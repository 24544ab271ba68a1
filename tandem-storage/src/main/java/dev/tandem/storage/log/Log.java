package dev.tandem.storage.log;

import dev.tandem.storage.record.RecordBatch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of Kafka record batches: a directory of {@link LogSegment}s plus {@code
 * log.checkpoint}. Appends assign offsets in place; reads return file slices up to the high
 * watermark, the end of what is durable under the log's {@link Durability}.
 *
 * <p>Under {@link Durability#FSYNC} an append's future completes after an fsync that covers it; one
 * fsync covers every append that waits while the previous one runs (group commit). An I/O error on
 * write or fsync takes the log offline; a full disk fails only the append that met it.
 *
 * <p>Thread-safety: appends, rolls, truncation and retention serialise on one lock (one writer at a
 * time); reads take no lock; fsyncs run on the {@link LogScheduler}'s pool, outside the lock.
 * Sealing a rolled segment (writing its two small index files) and the checkpoint are written under
 * the lock, once per roll, so that neither races a truncation, retention or close.
 */
public final class Log implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Log.class);

  /**
   * How long files of deleted segments stay readable for slices in flight (file.delete.delay.ms).
   */
  static final long FILE_DELETE_DELAY_MS = 60_000;

  private final Path dir;
  private final LogScheduler scheduler;
  private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
  private final Object lock = new Object();
  private final ArrayDeque<PendingAppend> waiters = new ArrayDeque<>();
  private final List<LogSegment> unsealed = new ArrayList<>();
  private final LongAdder fsyncs = new LongAdder();
  private volatile LogConfig config;
  private volatile LogSegment active;
  private volatile long startOffset;
  private volatile long endOffset;
  private volatile HighWatermark highWatermark;
  private volatile Throwable offlineCause;
  private long recoveryPoint;

  /** Counts truncations, so that a group commit can tell its target went stale meanwhile. */
  private long truncations;

  private boolean flushScheduled;
  private boolean flushWanted;
  private volatile boolean closed;

  private record PendingAppend(AppendResult result, CompletableFuture<AppendResult> future) {}

  /** The durable end: an offset and where it lies, so reads stop there without a lookup. */
  private record HighWatermark(long offset, long segmentBase, int position) {}

  private Log(Path dir, LogConfig config, LogScheduler scheduler) {
    this.dir = dir;
    this.config = config;
    this.scheduler = scheduler;
  }

  /**
   * Opens or creates the log in {@code dir}. After an unclean shutdown every segment from the
   * recovery point (a segment base) on is scanned and cut at its first invalid batch; the work
   * grows with the active segment, at most {@code segment.bytes}, not with the size of the log.
   */
  public static Log open(Path dir, LogConfig config, LogScheduler scheduler, boolean cleanShutdown)
      throws IOException {
    Files.createDirectories(dir);
    Log log = new Log(dir, config, scheduler);
    log.load(cleanShutdown);
    return log;
  }

  private void load(boolean cleanShutdown) throws IOException {
    removeLeftovers();
    LogCheckpoint checkpoint = LogCheckpoint.read(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (String.valueOf(file.getFileName()).endsWith(LogSegment.LOG_SUFFIX)) {
          LogSegment segment = LogSegment.open(file, config.indexIntervalBytes());
          segments.put(segment.baseOffset(), segment);
        }
      }
    }
    long start = checkpoint == null ? 0 : checkpoint.startOffset();
    // A new log has nothing to flush or to checkpoint yet: its first flush or close does both, and
    // without a checkpoint a reopen scans it, which is what its recovery point would ask anyway.
    boolean created = segments.isEmpty();
    if (created) {
      LogSegment first =
          LogSegment.create(dir, start, config.indexIntervalBytes(), scheduler.now());
      segments.put(first.baseOffset(), first);
    }
    if (cleanShutdown && checkpoint != null) {
      segments.lastEntry().getValue().activate(config.maxBatchBytes());
    } else {
      recover(checkpoint == null ? Long.MIN_VALUE : checkpoint.recoveryPoint());
    }
    active = segments.lastEntry().getValue();
    endOffset = active.nextOffset();
    startOffset = Math.max(start, segments.firstKey());
    highWatermark = new HighWatermark(endOffset, active.baseOffset(), active.size());
    recoveryPoint = active.baseOffset();
    if (!created) {
      active.flush();
      writeCheckpoint();
    }
  }

  private void recover(long fromOffset) throws IOException {
    Long from = segments.floorKey(fromOffset);
    List<LogSegment> toScan =
        new ArrayList<>(from == null ? segments.values() : segments.tailMap(from).values());
    for (int i = 0; i < toScan.size(); i++) {
      LogSegment segment = toScan.get(i);
      int cut = segment.recover(config.maxBatchBytes());
      boolean last = i == toScan.size() - 1;
      if (!last) {
        long nextBase = toScan.get(i + 1).baseOffset();
        if (cut > 0 || segment.nextOffset() > nextBase) {
          for (LogSegment later : toScan.subList(i + 1, toScan.size())) {
            LOG.warn("recovery deleted segment {} after a damaged one", later);
            segments.remove(later.baseOffset());
            later.deleteFiles();
          }
          return;
        }
        segment.flush();
        segment.seal();
      }
    }
  }

  private void removeLeftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = String.valueOf(file.getFileName());
        if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
          Files.delete(file);
        }
      }
    }
  }

  public Path dir() {
    return dir;
  }

  public LogConfig config() {
    return config;
  }

  /** Changes the settings; they apply to later appends, rolls and retention runs. */
  public void config(LogConfig config) {
    this.config = config;
  }

  public long startOffset() {
    return startOffset;
  }

  /** The offset the next appended record will get. */
  public long endOffset() {
    return endOffset;
  }

  /** One past the last durable offset: reads stop here. */
  public long highWatermark() {
    return highWatermark.offset();
  }

  public boolean isOffline() {
    return offlineCause != null;
  }

  public long fsyncCount() {
    return fsyncs.sum();
  }

  /**
   * Base offset of the active segment: what a crash recovery would rescan starts at or before it.
   */
  public long activeSegmentBaseOffset() {
    return active.baseOffset();
  }

  public int segmentCount() {
    return segments.size();
  }

  public long sizeInBytes() {
    long size = 0;
    for (LogSegment segment : segments.values()) {
      size += segment.size();
    }
    return size;
  }

  /**
   * Appends one or more record batches (magic v2), writing the assigned base offsets into {@code
   * batches} in place. The future completes when the data is as safe as the durability policy
   * demands, or fails with a {@link StorageException}.
   */
  public CompletableFuture<AppendResult> append(ByteBuffer batches) {
    BatchSummary summary;
    try {
      summary = validate(batches);
    } catch (StorageException e) {
      return CompletableFuture.failedFuture(e);
    }
    synchronized (lock) {
      try {
        return appendLocked(batches, summary);
      } catch (StorageException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private record BatchSummary(int count, int bytes) {}

  private BatchSummary validate(ByteBuffer batches) {
    RecordBatch batch = new RecordBatch();
    int at = batches.position();
    int end = batches.limit();
    int count = 0;
    if (at == end) {
      throw new CorruptRecordException("append of zero bytes");
    }
    while (at < end) {
      batch.wrap(batches, at);
      String problem = batch.validate(end);
      if (problem != null) {
        throw new CorruptRecordException(
            "batch " + count + " at byte " + (at - batches.position()) + ": " + problem);
      }
      if (batch.sizeInBytes() > config.maxBatchBytes()) {
        throw new RecordTooLargeException(
            "batch of "
                + batch.sizeInBytes()
                + " bytes exceeds max.message.bytes "
                + config.maxBatchBytes());
      }
      at += batch.sizeInBytes();
      count++;
    }
    return new BatchSummary(count, end - batches.position());
  }

  private CompletableFuture<AppendResult> appendLocked(ByteBuffer batches, BatchSummary summary) {
    if (offlineCause != null || closed) {
      throw new LogOfflineException("log " + dir + " is offline", offlineCause);
    }
    long now = scheduler.now();
    try {
      maybeRoll(summary.bytes(), now);
    } catch (IOException e) {
      throw onWriteError("roll", e);
    }
    boolean appendTime = config.logAppendTime();
    long first = endOffset;
    long next = first;
    RecordBatch batch = new RecordBatch();
    for (int at = batches.position(); at < batches.limit(); at += batch.sizeInBytes()) {
      batch.wrap(batches, at);
      batch.baseOffset(next);
      if (appendTime) {
        batch.attributes((short) (batch.attributes() | RecordBatch.TIMESTAMP_TYPE_MASK));
        batch.maxTimestamp(now);
        batch.updateCrc();
      }
      next = batch.lastOffset() + 1;
    }
    try {
      active.append(batches, next - 1);
    } catch (IOException e) {
      throw onWriteError("append", e);
    }
    endOffset = next;
    AppendResult result = new AppendResult(first, next - 1, appendTime ? now : -1L, startOffset);
    if (config.durability() != Durability.FSYNC) {
      highWatermark = new HighWatermark(next, active.baseOffset(), active.size());
      return CompletableFuture.completedFuture(result);
    }
    CompletableFuture<AppendResult> future = new CompletableFuture<>();
    waiters.add(new PendingAppend(result, future));
    scheduleFlushLocked();
    return future;
  }

  private StorageException onWriteError(String what, IOException e) {
    if (isNoSpace(e)) {
      return new StorageFullException("no space left for " + what + " to " + dir, e);
    }
    goOffline(e);
    return new LogOfflineException(what + " to " + dir + " failed; log is offline", e);
  }

  static boolean isNoSpace(IOException e) {
    String message = e.getMessage();
    return message != null
        && (message.contains("No space left on device") || message.contains("Disk quota exceeded"));
  }

  private void maybeRoll(int bytes, long now) throws IOException {
    if (active.isEmpty()) {
      return;
    }
    boolean full = (long) active.size() + bytes > config.segmentBytes();
    boolean old = now - active.createdMs() >= config.segmentMs();
    boolean offsetsFull = endOffset - active.baseOffset() > Integer.MAX_VALUE - 1_000_000L;
    if (full || old || offsetsFull) {
      roll(now);
    }
  }

  private void roll(long now) throws IOException {
    LogSegment next = LogSegment.create(dir, endOffset, config.indexIntervalBytes(), now);
    segments.put(next.baseOffset(), next);
    unsealed.add(active);
    active = next;
    scheduleFlushLocked();
  }

  private void scheduleFlushLocked() {
    flushWanted = true;
    if (!flushScheduled) {
      flushScheduled = true;
      scheduler.flush(this::groupCommit);
    }
  }

  /** Asks for an fsync of everything appended so far (the interval policy's timer calls this). */
  public void requestFlush() {
    synchronized (lock) {
      if (!closed && offlineCause == null) {
        scheduleFlushLocked();
      }
    }
  }

  /**
   * Runs on the fsync pool until nothing waits: fsyncs the active segment (and seals rolled ones),
   * then completes every append the fsync covered. Appends arriving meanwhile share the next fsync.
   */
  private void groupCommit() {
    while (true) {
      HighWatermark target;
      long epoch;
      List<LogSegment> toSeal;
      LogSegment toSync;
      synchronized (lock) {
        if (!flushWanted || closed || offlineCause != null) {
          flushScheduled = false;
          return;
        }
        flushWanted = false;
        target = new HighWatermark(endOffset, active.baseOffset(), active.size());
        epoch = truncations;
        toSeal = new ArrayList<>(unsealed);
        toSync = active;
      }
      try {
        for (LogSegment segment : toSeal) {
          segment.flush();
        }
        toSync.flush();
        fsyncs.increment();
      } catch (IOException e) {
        synchronized (lock) {
          flushScheduled = false;
          if (!closed) {
            goOffline(e);
          }
        }
        return;
      }
      boolean sealed = sealAll(toSeal);
      completeUpTo(target, epoch, sealed ? toSeal : List.of());
    }
  }

  /**
   * Seals rolled segments under the lock, skipping any that truncation made active again or that
   * retention or close removed meanwhile: a seal racing them would freeze an active index.
   */
  private boolean sealAll(List<LogSegment> toSeal) {
    synchronized (lock) {
      try {
        for (LogSegment segment : toSeal) {
          if (unsealed.contains(segment)) {
            segment.seal();
          }
        }
        return true;
      } catch (IOException e) {
        LOG.warn("sealing segments of {} failed, will retry: {}", dir, e.toString());
        return false;
      }
    }
  }

  /**
   * Moves the high watermark to {@code target} and completes the appends below it, unless a
   * truncation since the target was taken made it stale: then another round takes a fresh one.
   */
  private void completeUpTo(HighWatermark target, long epoch, List<LogSegment> sealed) {
    List<PendingAppend> done = new ArrayList<>();
    boolean recoveryPointMoved = false;
    synchronized (lock) {
      if (epoch != truncations) {
        flushWanted = true;
      } else if (target.offset() > highWatermark.offset()) {
        highWatermark = target;
      }
      while (epoch == truncations
          && !waiters.isEmpty()
          && waiters.peekFirst().result().lastOffset() < target.offset()) {
        done.add(waiters.pollFirst());
      }
      if (unsealed.removeAll(sealed)) {
        recoveryPoint = unsealed.isEmpty() ? active.baseOffset() : unsealed.get(0).baseOffset();
        recoveryPointMoved = true;
      }
    }
    for (PendingAppend pending : done) {
      pending.future().complete(pending.result());
    }
    if (recoveryPointMoved) {
      try {
        writeCheckpoint();
      } catch (IOException e) {
        LOG.warn("writing checkpoint of {} failed: {}", dir, e.toString());
      }
    }
  }

  private void goOffline(Throwable cause) {
    if (offlineCause == null) {
      offlineCause = cause;
      LOG.error("log {} is offline after an I/O error: {}", dir, cause.toString());
    }
    LogOfflineException failure = new LogOfflineException("log " + dir + " is offline", cause);
    for (PendingAppend pending : waiters) {
      pending.future().completeExceptionally(failure);
    }
    waiters.clear();
  }

  /**
   * Reads from the batch holding {@code offset}: at most {@code maxBytes}, or the whole first batch
   * when {@code minOneBatch} (KIP-74), never past the high watermark. An offset at the high
   * watermark reads nothing; one outside [start, end] throws {@link OffsetOutOfRangeException}.
   */
  public FileSlice read(long offset, int maxBytes, boolean minOneBatch) throws IOException {
    HighWatermark hw = highWatermark;
    if (offset < startOffset || offset > endOffset) {
      throw new OffsetOutOfRangeException(
          "offset " + offset + " outside [" + startOffset + ", " + endOffset + "] of " + dir);
    }
    Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
    while (entry != null && offset < hw.offset()) {
      LogSegment segment = entry.getValue();
      int maxPosition;
      if (segment.baseOffset() == hw.segmentBase()) {
        maxPosition = hw.position();
      } else {
        maxPosition = segment.baseOffset() < hw.segmentBase() ? Integer.MAX_VALUE : 0;
      }
      FileSlice slice = segment.read(offset, maxBytes, maxPosition, minOneBatch);
      if (!slice.isEmpty()) {
        return slice;
      }
      entry = segments.higherEntry(entry.getKey());
    }
    return FileSlice.empty(offset);
  }

  /**
   * The base offset of the first batch holding a record with a timestamp at or after {@code
   * timestamp}, or -1 when there is none. Callers needing the exact record read that batch.
   */
  public long offsetForTimestamp(long timestamp) throws IOException {
    for (LogSegment segment : segments.values()) {
      if (segment.maxTimestamp() >= timestamp) {
        long offset = segment.batchOffsetForTimestamp(timestamp);
        if (offset >= 0) {
          return Math.max(offset, startOffset);
        }
      }
    }
    return -1;
  }

  /** The largest record timestamp in the log, or -1 when it holds no record. */
  public long maxTimestamp() throws IOException {
    long max = -1;
    for (LogSegment segment : segments.values()) {
      max = Math.max(max, segment.maxTimestamp());
    }
    return max;
  }

  /**
   * Removes every batch from the one holding {@code offset} on; the end offset becomes the base
   * offset of that batch. Appends waiting for removed data fail.
   */
  public void truncateTo(long offset) throws IOException {
    synchronized (lock) {
      if (offset >= endOffset) {
        return;
      }
      recoveryPoint =
          Math.min(recoveryPoint, segments.floorKey(Math.max(offset, segments.firstKey())));
      writeCheckpoint();
      for (LogSegment segment : new ArrayList<>(segments.tailMap(offset, false).values())) {
        if (segment != segments.firstEntry().getValue()) {
          removeSegment(segment);
        }
      }
      truncations++;
      LogSegment last = segments.lastEntry().getValue();
      last.truncateTo(offset);
      unsealed.remove(last);
      active = last;
      endOffset = last.nextOffset();
      if (startOffset > endOffset) {
        startOffset = endOffset;
        writeCheckpoint();
      }
      if (highWatermark.offset() > endOffset) {
        highWatermark = new HighWatermark(endOffset, last.baseOffset(), last.size());
      }
      StorageException failure = new StorageException("log truncated below this append");
      waiters.removeIf(
          p -> p.result().lastOffset() >= endOffset && p.future().completeExceptionally(failure));
    }
  }

  /** Moves the log start offset up to {@code offset} (DeleteRecords); whole segments go later. */
  public void deleteRecordsBefore(long offset) throws IOException {
    synchronized (lock) {
      if (offset > highWatermark.offset()) {
        throw new OffsetOutOfRangeException(
            "cannot delete records before "
                + offset
                + ": high watermark is "
                + highWatermark.offset());
      }
      if (offset > startOffset) {
        startOffset = offset;
        writeCheckpoint();
      }
    }
    applyRetention();
  }

  /**
   * Deletes whole sealed segments that are below the start offset, older than retention.ms or
   * beyond retention.bytes. Returns how many went.
   */
  public int applyRetention() throws IOException {
    synchronized (lock) {
      long now = scheduler.now();
      LogConfig settings = config;
      long total = sizeInBytes();
      int deleted = 0;
      while (segments.size() > 1) {
        LogSegment oldest = segments.firstEntry().getValue();
        long nextBase = segments.higherKey(oldest.baseOffset());
        boolean belowStart = nextBase <= startOffset;
        boolean tooOld =
            settings.retentionMs() >= 0 && oldest.maxTimestamp() < now - settings.retentionMs();
        boolean tooBig =
            settings.retentionBytes() >= 0 && total - oldest.size() >= settings.retentionBytes();
        if (!(belowStart || tooOld || tooBig) || oldest == active) {
          break;
        }
        total -= oldest.size();
        removeSegment(oldest);
        deleted++;
      }
      if (deleted > 0) {
        startOffset = Math.max(startOffset, segments.firstKey());
        writeCheckpoint();
      }
      return deleted;
    }
  }

  private void removeSegment(LogSegment segment) throws IOException {
    segments.remove(segment.baseOffset());
    unsealed.remove(segment);
    segment.markDeleted();
    scheduler.schedule(() -> deleteQuietly(segment), FILE_DELETE_DELAY_MS);
  }

  private static void deleteQuietly(LogSegment segment) {
    try {
      segment.deleteFiles();
    } catch (IOException e) {
      LOG.warn("deleting {} failed: {}", segment, e.toString());
    }
  }

  /** Takes and writes the checkpoint under the lock, so an older one never overwrites a newer. */
  private void writeCheckpoint() throws IOException {
    synchronized (lock) {
      new LogCheckpoint(recoveryPoint, startOffset).write(dir);
    }
  }

  /** Flushes and seals everything, writes the active segment's indexes and closes the files. */
  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (offlineCause == null) {
          flushAndSealForClose();
        }
      } finally {
        for (LogSegment segment : segments.values()) {
          segment.close();
        }
      }
    }
  }

  private void flushAndSealForClose() throws IOException {
    for (LogSegment segment : unsealed) {
      segment.flush();
      segment.seal();
    }
    unsealed.clear();
    active.flush();
    active.writeIndexes();
    highWatermark = new HighWatermark(endOffset, active.baseOffset(), active.size());
    completeWaiters();
    recoveryPoint = active.baseOffset();
    writeCheckpoint();
  }

  /** Completes the appends still waiting for a flush (the log is closing). Under the lock. */
  private void completeWaiters() {
    for (PendingAppend pending : waiters) {
      pending.future().complete(pending.result());
    }
    waiters.clear();
  }

  /**
   * Closes the log and removes its directory. Nothing is flushed or written first: the files are
   * about to go (a crash midway leaves a log that recovers as after any crash). Appends still
   * waiting for their flush complete, as on close.
   */
  public void delete() throws IOException {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        completeWaiters();
      }
    }
    for (LogSegment segment : segments.values()) {
      segment.deleteFiles();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  @Override
  public String toString() {
    return "Log(" + dir + ", " + startOffset + ".." + endOffset + ")";
  }
}
