package dev.tandem.storage.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A sparse index of one segment: entries of (key, value) sorted by key, where key is a long (an
 * offset or a timestamp) and value an int (a file position or an offset delta).
 *
 * <p>While its segment is active the entries live in a growing heap buffer; they reach disk only
 * whole, when the segment is sealed or closed, through a temp file that is fsynced and renamed. A
 * sealed index is memory-mapped read-only, so no write can ever fault on a full disk. An index that
 * is missing or fails its checks is rebuilt from the segment by the caller.
 *
 * <pre>
 *   file layout
 *   entries   count x [key int64, value int32]
 *   trailer   magic int32 'TIDX', count int32, crc int32 (CRC-32C of the entries)
 * </pre>
 *
 * Thread-safe: lookups may run on any thread while the single writer appends.
 */
public final class SparseIndex {
  public static final int ENTRY_SIZE = 12;
  private static final int TRAILER_SIZE = 12;
  private static final int MAGIC = 0x54494458;

  private ByteBuffer entries;
  private int count;

  private SparseIndex(ByteBuffer entries, int count) {
    this.entries = entries;
    this.count = count;
  }

  /** An empty index that accepts appends. */
  public static SparseIndex empty() {
    return new SparseIndex(ByteBuffer.allocate(64 * ENTRY_SIZE), 0);
  }

  /**
   * Maps a sealed index file read-only. Returns null when the file is missing, its size is wrong,
   * its trailer does not match or its keys are not sorted: the caller rebuilds it.
   */
  public static SparseIndex load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < TRAILER_SIZE || (size - TRAILER_SIZE) % ENTRY_SIZE != 0) {
        return null;
      }
      int count = (int) ((size - TRAILER_SIZE) / ENTRY_SIZE);
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      int trailer = count * ENTRY_SIZE;
      if (mapped.getInt(trailer) != MAGIC || mapped.getInt(trailer + 4) != count) {
        return null;
      }
      ByteBuffer body = mapped.duplicate().limit(trailer).position(0);
      if ((int) crc(body.duplicate()) != mapped.getInt(trailer + 8)) {
        return null;
      }
      SparseIndex index = new SparseIndex(body.slice(), count);
      return index.isSorted() ? index : null;
    }
  }

  /** Makes a mutable copy of a loaded index so that a reopened active segment can go on. */
  public synchronized SparseIndex mutableCopy() {
    SparseIndex copy = empty();
    for (int i = 0; i < count; i++) {
      copy.append(key(i), value(i));
    }
    return copy;
  }

  public synchronized void append(long key, int value) {
    if (count > 0 && key < key(count - 1)) {
      throw new IllegalArgumentException("index key " + key + " below last " + key(count - 1));
    }
    if (entries.isReadOnly()) {
      throw new IllegalStateException("index is sealed");
    }
    int at = count * ENTRY_SIZE;
    if (at + ENTRY_SIZE > entries.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(entries.capacity() * 2);
      bigger.put(entries.duplicate().limit(at).position(0));
      entries = bigger;
    }
    entries.putLong(at, key);
    entries.putInt(at + 8, value);
    count++;
  }

  public synchronized int count() {
    return count;
  }

  public synchronized long lastKey(long ifEmpty) {
    return count == 0 ? ifEmpty : key(count - 1);
  }

  public synchronized int lastValue(int ifEmpty) {
    return count == 0 ? ifEmpty : value(count - 1);
  }

  /** Index of the last entry whose key is at most {@code target}, or -1. */
  public synchronized int floor(long target) {
    int low = 0;
    int high = count - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (key(mid) <= target) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  public synchronized long keyAt(int i) {
    return key(i);
  }

  public synchronized int valueAt(int i) {
    return value(i);
  }

  /** Drops every entry whose key is at least {@code key}. */
  public synchronized void truncateFrom(long key) {
    int keep = floor(key - 1) + 1;
    count = Math.min(count, keep);
  }

  /** Writes the index whole through a temp file that is fsynced and renamed over {@code file}. */
  public synchronized void writeTo(Path file) throws IOException {
    ByteBuffer body = entries.duplicate().limit(count * ENTRY_SIZE).position(0);
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE);
    trailer.putInt(MAGIC).putInt(count).putInt((int) crc(body.duplicate())).flip();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (body.hasRemaining()) {
        channel.write(body);
      }
      while (trailer.hasRemaining()) {
        channel.write(trailer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private boolean isSorted() {
    for (int i = 1; i < count; i++) {
      if (key(i) < key(i - 1)) {
        return false;
      }
    }
    return true;
  }

  private long key(int i) {
    return entries.getLong(i * ENTRY_SIZE);
  }

  private int value(int i) {
    return entries.getInt(i * ENTRY_SIZE + 8);
  }

  private static long crc(ByteBuffer body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return crc.getValue();
  }
}
