package dev.tandem.core.group;

import dev.tandem.storage.log.LogScheduler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * The coordinator's clock and its one timer: session expiry, rebalance and sync timeouts and the
 * initial rebalance delay are tasks on it, never a thread per group. Tasks must not block.
 */
public interface GroupTimer {
  /** A scheduled task that can be called off. */
  interface Scheduled {
    void cancel();
  }

  long now();

  Scheduled schedule(Runnable task, long delayMs);

  /** The timer of a data directory's scheduler; tasks scheduled after it closes never run. */
  static GroupTimer of(LogScheduler scheduler) {
    return new GroupTimer() {
      @Override
      public long now() {
        return scheduler.now();
      }

      @Override
      public Scheduled schedule(Runnable task, long delayMs) {
        try {
          ScheduledFuture<?> future = scheduler.schedule(task, Math.max(0, delayMs));
          return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
          return () -> {};
        }
      }
    };
  }
}
