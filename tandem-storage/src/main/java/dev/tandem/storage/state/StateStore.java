package dev.tandem.storage.state;

import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.log.LogScheduler;
import dev.tandem.storage.record.RecordBatchBuilder;
import dev.tandem.storage.record.RecordReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A durable map from string keys to byte values, for the broker's definitions, committed offsets
 * and group state. Every change is a record (key, value; a null value removes the key) appended to
 * an internal {@link Log} under fsync durability and replayed on open. A {@link StateSnapshot} of
 * the whole map is written once enough changes pile up, so that opening replays one snapshot plus a
 * bounded tail.
 *
 * <p>The two newest snapshots are kept, and the change log from the older of them on; the log below
 * it is dropped. When the newest snapshot fails its CRC, open falls back to the older one and
 * replays the log from there. When no readable snapshot covers the changes the log no longer holds,
 * open fails with an {@link IOException}: a store that came up with part of its map would silently
 * forget definitions and offsets.
 *
 * <pre>
 *   state/NAME/
 *     log/                       the change log
 *     snapshot-OFFSET.snapshot   the map as of OFFSET (see {@link StateSnapshot})
 * </pre>
 *
 * <p>Thread-safe. Reads see a change as soon as {@code put} returns; its future completes when it
 * is on disk. Changes are applied and logged in one order.
 */
public final class StateStore implements Closeable {
  /** Bytes of changes after which a new snapshot is taken. */
  static final long SNAPSHOT_AFTER_BYTES = 8L * 1024 * 1024;

  private static final LogConfig STATE_LOG =
      LogConfig.DEFAULT.withSegmentBytes(4 * 1024 * 1024).withRetention(-1, -1);

  private final Path dir;
  private final Log log;
  private final TreeMap<String, byte[]> map;
  private final long snapshotAfterBytes;
  private final Object snapshotLock = new Object();
  private long bytesSinceSnapshot;
  private long lastSnapshotOffset = -1;

  private StateStore(Path dir, Log log, TreeMap<String, byte[]> map, long snapshotAfterBytes) {
    this.dir = dir;
    this.log = log;
    this.map = map;
    this.snapshotAfterBytes = snapshotAfterBytes;
  }

  public static StateStore open(Path dir, LogScheduler scheduler, boolean cleanShutdown)
      throws IOException {
    return open(dir, scheduler, cleanShutdown, SNAPSHOT_AFTER_BYTES);
  }

  static StateStore open(Path dir, LogScheduler scheduler, boolean clean, long snapshotAfterBytes)
      throws IOException {
    Files.createDirectories(dir);
    Log log = Log.open(dir.resolve("log"), STATE_LOG, scheduler, clean);
    StateSnapshot snapshot = StateSnapshot.latest(dir);
    TreeMap<String, byte[]> map = snapshot == null ? new TreeMap<>() : snapshot.entries();
    long from = snapshot == null ? 0 : snapshot.offset();
    if (from < log.startOffset()) {
      log.close();
      throw new IOException(
          "state store "
              + dir
              + ": no readable snapshot covers the changes below the log start "
              + log.startOffset()
              + (snapshot == null ? "" : "; the newest readable snapshot is at " + from));
    }
    StateStore store = new StateStore(dir, log, map, snapshotAfterBytes);
    store.lastSnapshotOffset = snapshot == null ? -1 : snapshot.offset();
    store.replayFrom(from);
    return store;
  }

  private synchronized void replayFrom(long from) throws IOException {
    bytesSinceSnapshot = replay(from);
  }

  private long replay(long from) throws IOException {
    long offset = from;
    long bytes = 0;
    while (offset < log.highWatermark()) {
      FileSlice slice = log.read(offset, 1024 * 1024, true);
      if (slice.isEmpty()) {
        break;
      }
      ByteBuffer buffer = slice.readAll();
      long[] last = {offset - 1};
      long start = offset;
      int read =
          RecordReader.forEach(
              buffer,
              record -> {
                if (record.offset() >= start) {
                  applyChange(new String(record.key(), StandardCharsets.UTF_8), record.value());
                }
                last[0] = record.offset();
              });
      if (read == 0) {
        throw new IOException("state log " + log.dir() + " holds an unreadable batch at " + offset);
      }
      bytes += read;
      offset = last[0] + 1;
    }
    return bytes;
  }

  private void applyChange(String key, byte[] value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  public synchronized byte[] get(String key) {
    byte[] value = map.get(key);
    return value == null ? null : value.clone();
  }

  /** A copy of every entry whose key starts with {@code prefix}, in key order. */
  public synchronized SortedMap<String, byte[]> scan(String prefix) {
    TreeMap<String, byte[]> copy = new TreeMap<>();
    for (var entry : map.tailMap(prefix, true).entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      copy.put(entry.getKey(), entry.getValue().clone());
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  public synchronized int size() {
    return map.size();
  }

  /** Sets {@code key} to {@code value}; the future completes once the change is on disk. */
  public CompletableFuture<Void> put(String key, byte[] value) {
    ByteBuffer batch =
        new RecordBatchBuilder(System.currentTimeMillis())
            .append(System.currentTimeMillis(), key.getBytes(StandardCharsets.UTF_8), value)
            .build();
    CompletableFuture<AppendResult> appended;
    synchronized (this) {
      int size = batch.remaining();
      appended = log.append(batch);
      if (appended.isCompletedExceptionally()) {
        return appended.thenApply(r -> null);
      }
      applyChange(key, value == null ? null : value.clone());
      bytesSinceSnapshot += size;
      if (bytesSinceSnapshot >= snapshotAfterBytes) {
        bytesSinceSnapshot = 0;
        long offset = log.endOffset();
        TreeMap<String, byte[]> entries = new TreeMap<>(map);
        appended = appended.thenCompose(result -> snapshot(offset, entries));
      }
    }
    return appended.thenApply(r -> null);
  }

  public CompletableFuture<Void> remove(String key) {
    return put(key, null);
  }

  /**
   * Writes {@code entries}, the map as of {@code offset}, once the change log is durable up to
   * there, then drops the log and the snapshots below the previous snapshot. Runs on the thread
   * that completed the append.
   */
  private CompletableFuture<AppendResult> snapshot(long offset, TreeMap<String, byte[]> entries) {
    synchronized (snapshotLock) {
      if (offset <= lastSnapshotOffset) {
        return CompletableFuture.completedFuture(null);
      }
      try {
        StateSnapshot.write(dir, offset, entries);
        long previous = lastSnapshotOffset;
        lastSnapshotOffset = offset;
        if (previous >= 0) {
          log.deleteRecordsBefore(previous);
          StateSnapshot.deleteOlderThan(dir, previous);
        }
        return CompletableFuture.completedFuture(null);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  public Log log() {
    return log;
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }

  @Override
  public String toString() {
    return "StateStore(" + dir + ")";
  }
}
