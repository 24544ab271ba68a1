package dev.tandem.core.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The ready messages of a {@link Queue}, in delivery order: one FIFO per priority level, the
 * highest level first. A queue without x-max-priority has one level; one with x-max-priority N has
 * N + 1, and a message counts at its priority, or at N if that is higher (as RabbitMQ counts it).
 * Within a level, requeued messages go first, back at their original position (by offset), then the
 * others in offset order.
 *
 * <p>Memory holds a window of at most {@value #WINDOW_MESSAGES} messages / 32 MiB of bodies and
 * properties (exceeded by at most one read of about a MiB), not counting requeued messages, which
 * were delivered before and so are bounded by the unacked ones. The rest of a backlog stays in the
 * queue's log and is read back when needed. Per level, the messages in memory are the oldest of
 * that level: every ready message of level L below the level's cursor is in memory, none at or
 * above it is. So delivery order is exact whatever the size of the backlog:
 *
 * <ul>
 *   <li>a published message joins memory if its level has nothing on disk and there is room, made
 *       if need be by evicting the newest messages of the lowest level below it (they are on disk
 *       again: their level's cursor moves back); otherwise it waits on disk;
 *   <li>before a message is taken, if a level above every level in memory has messages on disk,
 *       that level is read back first, evicting lower levels to make room. While the log cannot be
 *       read there yet (appended, not yet flushed), nothing is taken.
 * </ul>
 *
 * <p>With one level this is a FIFO window, read back from the log when it runs empty. With several,
 * each level reads the log forward from its own cursor, skipping the chunks a {@link BacklogIndex}
 * shows without it: a backlog is read about once per level present in it, plus rereads of evicted
 * messages.
 *
 * <p>Not thread-safe: its queue calls it under its lock.
 */
final class ReadyMessages {
  static final int WINDOW_MESSAGES = 8192;
  static final long WINDOW_BYTES = 32L * 1024 * 1024;

  /** The queue's log and acknowledgements, as reading messages back needs them. */
  interface Backing {
    /**
     * The messages of the log from {@code offset} on, about a MiB of them, in offset order; empty
     * when the log cannot be read there yet (the queue then dispatches again once it can).
     */
    List<QueuedMessage> read(long offset) throws IOException;

    /** Whether the message at {@code offset} is gone already (acked). */
    boolean isGone(long offset);

    /**
     * Drops a message read back that must not be delivered (transient, from before a restart).
     * Returns whether it did.
     */
    boolean dropIfStale(QueuedMessage message);
  }

  /** One priority level. */
  private static final class Level {
    final ArrayDeque<QueuedMessage> fresh = new ArrayDeque<>();
    TreeMap<Long, QueuedMessage> requeued;

    /** Every ready message of the level below it is in memory; none at or above it is. */
    long cursor;

    /** Ready messages of the level on disk. */
    long onDisk;

    boolean inMemory() {
      return !fresh.isEmpty() || (requeued != null && !requeued.isEmpty());
    }

    QueuedMessage first() {
      return requeued != null && !requeued.isEmpty()
          ? requeued.firstEntry().getValue()
          : fresh.peekFirst();
    }
  }

  private final Level[] levels;
  private final Backing backing;
  private final BacklogIndex index;
  private final int windowMessages;
  private final long windowBytes;
  private final WindowBudget budget;
  private int freshCount;
  private long freshBytes;
  private int highestInMemory = -1;
  private int highestOnDisk = -1;

  /** One past the last message offered: the log's end. */
  private long end;

  private long evictions;

  /**
   * Ready messages of {@code levels} priority levels (1: no priorities), in the usual window,
   * within the budget the node's queues share.
   */
  ReadyMessages(int levels, Backing backing, WindowBudget budget) {
    this(levels, backing, WINDOW_MESSAGES, WINDOW_BYTES, BacklogIndex.CHUNK_SHIFT, budget);
  }

  ReadyMessages(int levels, Backing backing, int windowMessages, long windowBytes, int chunkShift) {
    this(levels, backing, windowMessages, windowBytes, chunkShift, WindowBudget.unlimited());
  }

  ReadyMessages(
      int levels,
      Backing backing,
      int windowMessages,
      long windowBytes,
      int chunkShift,
      WindowBudget budget) {
    if (levels < 1 || levels > Message.MAX_PRIORITY + 1) {
      throw new IllegalArgumentException("levels " + levels);
    }
    this.levels = new Level[levels];
    this.backing = backing;
    this.index = levels > 1 ? new BacklogIndex(levels, chunkShift) : null;
    this.windowMessages = windowMessages;
    this.windowBytes = windowBytes;
    this.budget = budget;
  }

  int levels() {
    return levels.length;
  }

  /** The level a message is delivered at. */
  int levelOf(Message message) {
    return Math.min(message.priority(), levels.length - 1);
  }

  /** After a restart: the log ends at {@code end}; the ready messages, all on disk, follow. */
  void recover(long end) {
    this.end = end;
  }

  /** After a restart, with one level: {@code count} ready messages on disk from {@code from}. */
  void recoverOnDisk(long from, long count) {
    if (count > 0) {
      Level level = level(0);
      level.cursor = from;
      level.onDisk = count;
      highestOnDisk = 0;
    }
  }

  /** After a restart: one ready message on disk. Called in offset order. */
  void recoverOnDisk(QueuedMessage message) {
    int l = levelOf(message.message());
    toDisk(l, level(l), message.offset());
  }

  /**
   * A message just appended to the log. Returns true if it joined memory; false if it waits on
   * disk, to be read back once the log can be read there.
   */
  boolean offer(QueuedMessage message) {
    end = message.offset() + 1;
    int l = levelOf(message.message());
    Level level = level(l);
    if (level.onDisk == 0 && makeRoom(l)) {
      addFresh(l, level, message);
      return true;
    }
    toDisk(l, level, message.offset());
    return false;
  }

  /** A delivered message back to its level, at its original position. */
  void requeue(QueuedMessage message) {
    int l = levelOf(message.message());
    Level level = level(l);
    if (level.requeued == null) {
      level.requeued = new TreeMap<>();
    }
    level.requeued.put(message.offset(), message);
    highestInMemory = Math.max(highestInMemory, l);
  }

  /**
   * Takes the next message in delivery order, reading the log back if need be: null if there is
   * none, or if the next one is on disk where the log cannot be read yet.
   */
  QueuedMessage poll() {
    int l = levelToTake();
    if (l < 0) {
      return null;
    }
    Level level = levels[l];
    QueuedMessage next;
    if (level.requeued != null && !level.requeued.isEmpty()) {
      next = level.requeued.pollFirstEntry().getValue();
    } else {
      next = level.fresh.pollFirst();
      freshCount--;
      freshBytes -= next.size();
      budget.give(next);
    }
    if (!level.inMemory()) {
      highestInMemory = highestInMemoryBelow(l);
    }
    return next;
  }

  /** The next message in delivery order if it is in memory (no reading); else null. */
  QueuedMessage peek() {
    if (highestInMemory < 0 || highestOnDisk > highestInMemory) {
      return null;
    }
    return levels[highestInMemory].first();
  }

  /**
   * Forgets every ready message (purge). Returns those that were in memory; those on disk lie at or
   * above what {@link #lowestOnDisk()} returned before.
   */
  List<QueuedMessage> clear() {
    List<QueuedMessage> inMemory = new ArrayList<>(freshCount);
    for (Level level : levels) {
      if (level != null) {
        if (level.requeued != null) {
          inMemory.addAll(level.requeued.values());
          level.requeued = null;
        }
        inMemory.addAll(level.fresh);
        level.fresh.forEach(budget::give);
        level.fresh.clear();
        level.onDisk = 0;
        level.cursor = end;
      }
    }
    freshCount = 0;
    freshBytes = 0;
    highestInMemory = -1;
    highestOnDisk = -1;
    if (index != null) {
      index.clear();
    }
    return inMemory;
  }

  /** The lowest offset a ready message on disk may have; the log's end when none is on disk. */
  long lowestOnDisk() {
    long lowest = end;
    for (Level level : levels) {
      if (level != null && level.onDisk > 0) {
        lowest = Math.min(lowest, level.cursor);
      }
    }
    return lowest;
  }

  /**
   * Every ready message below this offset has been delivered at least once (requeued ones have);
   * the log's end when none is waiting for its first delivery.
   */
  long undeliveredFrom() {
    long lowest = end;
    for (Level level : levels) {
      if (level == null) {
        continue;
      }
      QueuedMessage first = level.fresh.peekFirst();
      if (first != null) {
        lowest = Math.min(lowest, first.offset());
      } else if (level.onDisk > 0) {
        lowest = Math.min(lowest, level.cursor);
      }
    }
    return lowest;
  }

  /** Messages in the window (not counting requeued ones). */
  int inWindow() {
    return freshCount;
  }

  /** Messages evicted from the window for higher levels, since the queue opened. */
  long evictions() {
    return evictions;
  }

  private Level level(int l) {
    Level level = levels[l];
    if (level == null) {
      level = new Level();
      level.cursor = end;
      levels[l] = level;
    }
    return level;
  }

  /**
   * Whether the window takes no more: its own limits, or the shared budget once it holds anything
   * (so that every queue can still read back what it delivers next).
   */
  private boolean isFull() {
    return freshCount >= windowMessages
        || freshBytes >= windowBytes
        || (freshCount > 0 && budget.isSpent());
  }

  private void addFresh(int l, Level level, QueuedMessage message) {
    level.fresh.addLast(message);
    level.cursor = message.offset() + 1;
    freshCount++;
    freshBytes += message.size();
    budget.take(message);
    highestInMemory = Math.max(highestInMemory, l);
  }

  private void toDisk(int l, Level level, long offset) {
    level.cursor = level.onDisk == 0 ? offset : Math.min(level.cursor, offset);
    level.onDisk++;
    highestOnDisk = Math.max(highestOnDisk, l);
    if (index != null) {
      index.mark(offset, l);
    }
  }

  /** Whether a message of level {@code l} fits, evicting messages of lower levels if need be. */
  private boolean makeRoom(int l) {
    while (isFull()) {
      if (!evictBelow(l)) {
        return false;
      }
    }
    return true;
  }

  /** Evicts the newest message of the lowest level below {@code l} in the window, if any. */
  private boolean evictBelow(int l) {
    for (int i = 0; i < l; i++) {
      Level level = levels[i];
      if (level != null && !level.fresh.isEmpty()) {
        QueuedMessage evicted = level.fresh.pollLast();
        freshCount--;
        freshBytes -= evicted.size();
        budget.give(evicted);
        toDisk(i, level, evicted.offset());
        if (i == highestInMemory && !level.inMemory()) {
          highestInMemory = highestInMemoryBelow(i);
        }
        evictions++;
        return true;
      }
    }
    return false;
  }

  /** The level to take from next, after reading back a higher one from disk; -1 for none. */
  private int levelToTake() {
    while (highestOnDisk > highestInMemory) {
      if (!readBack(highestOnDisk)) {
        return -1;
      }
    }
    return highestInMemory;
  }

  /**
   * Reads messages of level {@code l} back from the log while there is room or lower levels to
   * evict. Returns false if it got none because the log cannot be read where they are yet.
   */
  private boolean readBack(int l) {
    Level level = levels[l];
    try {
      while (level.onDisk > 0 && makeRoom(l)) {
        long from = index == null ? level.cursor : index.next(l, level.cursor);
        if (from < 0 || from >= end) {
          level.onDisk = 0; // miscounted: none of this level is left on disk
          break;
        }
        level.cursor = from;
        List<QueuedMessage> read = backing.read(from);
        takeLevel(l, level, read);
        if (index != null) {
          index.passed(l, level.cursor);
        }
        if (level.cursor == from) {
          break; // the log cannot be read there yet
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading back ready messages", e);
    }
    if (level.onDisk == 0 && l == highestOnDisk) {
      highestOnDisk = highestOnDiskBelow(l);
    }
    return level.onDisk == 0 || level.inMemory();
  }

  /**
   * Takes the messages of level {@code l} out of a read, in order, until the level has none left on
   * disk or the read reaches a chunk the index shows without it. Moves the level's cursor past what
   * it looked at. May fill the window past its limit by this one read, as lower levels run out.
   */
  private void takeLevel(int l, Level level, List<QueuedMessage> read) {
    long chunk = -1;
    for (QueuedMessage message : read) {
      long offset = message.offset();
      if (offset < level.cursor) {
        continue;
      }
      if (index != null && index.chunkOf(offset) != chunk) {
        chunk = index.chunkOf(offset);
        if (!index.has(l, chunk)) {
          level.cursor = offset;
          return;
        }
      }
      level.cursor = offset + 1;
      if (levelOf(message.message()) != l || backing.isGone(offset)) {
        continue;
      }
      level.onDisk--;
      if (!backing.dropIfStale(message)) {
        while (isFull() && evictBelow(l)) {
          // made room for it
        }
        addFresh(l, level, message);
      }
      if (level.onDisk == 0) {
        return;
      }
    }
  }

  private int highestInMemoryBelow(int l) {
    for (int i = l - 1; i >= 0; i--) {
      if (levels[i] != null && levels[i].inMemory()) {
        return i;
      }
    }
    return -1;
  }

  private int highestOnDiskBelow(int l) {
    for (int i = l - 1; i >= 0; i--) {
      if (levels[i] != null && levels[i].onDisk > 0) {
        return i;
      }
    }
    return -1;
  }
}
