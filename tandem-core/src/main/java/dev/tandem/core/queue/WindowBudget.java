package dev.tandem.core.queue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that the windows of ready messages of all queues of a node share. Each queue's window
 * has its own limit ({@link ReadyMessages}), but a hundred queues with backlogs of 1 KiB messages
 * would hold 8 MiB each; once the shared budget is spent, a queue keeps in memory only what it is
 * about to deliver (one read back from its log, about a MiB) and sends new messages to disk. By
 * default a quarter of the maximum heap. Counts each message at its size plus {@value #OVERHEAD}
 * bytes of objects around it.
 *
 * <p>Thread-safe.
 */
public final class WindowBudget {
  static final int OVERHEAD = 160;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public WindowBudget(long limitBytes) {
    this.limit = limitBytes;
  }

  /** A quarter of the heap this JVM may grow to. */
  public static WindowBudget quarterOfHeap() {
    return new WindowBudget(Runtime.getRuntime().maxMemory() / 4);
  }

  /** No shared limit (each window keeps its own). */
  static WindowBudget unlimited() {
    return new WindowBudget(Long.MAX_VALUE);
  }

  boolean isSpent() {
    return used.get() >= limit;
  }

  void take(QueuedMessage message) {
    used.addAndGet(message.size() + OVERHEAD);
  }

  void give(QueuedMessage message) {
    used.addAndGet(-(message.size() + OVERHEAD));
  }

  /** Bytes the windows hold now, as counted here. */
  public long used() {
    return used.get();
  }

  public long limit() {
    return limit;
  }
}
