package dev.tandem.core.group;

import java.util.PriorityQueue;

/** A {@link GroupTimer} whose clock moves only when a test advances it. Not thread-safe. */
final class ManualTimer implements GroupTimer {
  private record Task(long at, long sequence, Runnable action, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.sequence, b.sequence));
  private long now = 1_000_000;
  private long sequence;

  @Override
  public long now() {
    return now;
  }

  @Override
  public Scheduled schedule(Runnable action, long delayMs) {
    boolean[] cancelled = {false};
    tasks.add(new Task(now + Math.max(0, delayMs), sequence++, action, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Moves the clock forward, running every task that falls due, in order. */
  void advance(long ms) {
    long until = now + ms;
    while (!tasks.isEmpty() && tasks.peek().at() <= until) {
      Task task = tasks.poll();
      now = Math.max(now, task.at());
      if (!task.cancelled()[0]) {
        task.action().run();
      }
    }
    now = until;
  }
}
