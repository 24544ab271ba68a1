package dev.tandem.core.queue;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where in a priority queue's log the ready messages left on disk are, by priority level, so that
 * reading one level back skips the stretches that hold none of it. The log is cut into chunks of
 * {@value #CHUNK_OFFSETS} offsets (2^shift); each chunk with messages on disk has one bit per
 * level:
 *
 * <pre>
 *   chunk = offset &gt;&gt;&gt; shift   bits: long[(levels + 63) / 64], bit L set = level L may have
 *                              messages on disk in [chunk &lt;&lt; shift, (chunk + 1) &lt;&lt; shift)
 * </pre>
 *
 * A bit is set when a message of its level is left on disk (published past the memory window, or
 * evicted from it) and cleared once that level's reading has passed the whole chunk; a chunk
 * without bits is forgotten. A set bit may be stale (its messages read already), costing a read; a
 * clear bit never hides a message. Memory: one entry per chunk with messages on disk.
 *
 * <p>Not thread-safe: its queue calls it under its lock.
 */
final class BacklogIndex {
  static final int CHUNK_SHIFT = 10;
  static final int CHUNK_OFFSETS = 1 << CHUNK_SHIFT;

  private final int shift;
  private final int words;
  private final TreeMap<Long, long[]> chunks = new TreeMap<>();

  /** Per level: every chunk below this one has its bit clear. */
  private final long[] clearBelow;

  /** The chunk last marked, and its bits: publishing fills one chunk after another. */
  private long lastChunk = -1;

  private long[] lastBits;

  BacklogIndex(int levels) {
    this(levels, CHUNK_SHIFT);
  }

  /** With chunks of 2^{@code shift} offsets. */
  BacklogIndex(int levels, int shift) {
    this.shift = shift;
    this.words = (levels + 63) >>> 6;
    this.clearBelow = new long[levels];
    Arrays.fill(clearBelow, Long.MAX_VALUE);
  }

  long chunkOf(long offset) {
    return offset >>> shift;
  }

  /** A message of {@code level} is on disk at {@code offset}. */
  void mark(long offset, int level) {
    long chunk = chunkOf(offset);
    if (chunk != lastChunk) {
      lastBits = chunks.computeIfAbsent(chunk, c -> new long[words]);
      lastChunk = chunk;
    }
    lastBits[level >>> 6] |= 1L << level;
    clearBelow[level] = Math.min(clearBelow[level], chunk);
  }

  /** Whether {@code level} may have messages on disk in {@code chunk}. */
  boolean has(int level, long chunk) {
    long[] bits = chunks.get(chunk);
    return bits != null && isSet(bits, level);
  }

  /** The first offset at or after {@code from} in a chunk marked for {@code level}, or -1. */
  long next(int level, long from) {
    for (Map.Entry<Long, long[]> chunk : chunks.tailMap(chunkOf(from), true).entrySet()) {
      if (isSet(chunk.getValue(), level)) {
        return Math.max(from, chunk.getKey() << shift);
      }
    }
    return -1;
  }

  /** {@code level} has no messages on disk below {@code offset}: clears it in the chunks below. */
  void passed(int level, long offset) {
    long below = chunkOf(offset);
    if (below <= clearBelow[level]) {
      return;
    }
    Iterator<Map.Entry<Long, long[]>> passed =
        chunks.subMap(clearBelow[level], true, below, false).entrySet().iterator();
    while (passed.hasNext()) {
      Map.Entry<Long, long[]> chunk = passed.next();
      long key = chunk.getKey(); // read first: removing may reuse the entry for its successor
      long[] bits = chunk.getValue();
      bits[level >>> 6] &= ~(1L << level);
      if (isEmpty(bits)) {
        passed.remove();
        if (key == lastChunk) {
          lastChunk = -1;
        }
      }
    }
    clearBelow[level] = below;
  }

  /** Forgets every chunk: nothing is on disk any more. */
  void clear() {
    chunks.clear();
    lastChunk = -1;
    Arrays.fill(clearBelow, Long.MAX_VALUE);
  }

  /** Chunks with messages on disk (for tests and metrics). */
  int chunkCount() {
    return chunks.size();
  }

  private static boolean isSet(long[] bits, int level) {
    return (bits[level >>> 6] & (1L << level)) != 0;
  }

  private static boolean isEmpty(long[] bits) {
    for (long word : bits) {
      if (word != 0) {
        return false;
      }
    }
    return true;
  }
}
