package dev.tandem.storage.log;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The threads every log of a data directory shares: a small pool that runs fsyncs (group commit,
 * sealing of rolled segments) so that no network thread waits on the disk, and one timer for
 * periodic work (retention, interval flushes, delayed file deletion). Also the clock.
 *
 * <p>Thread-safe.
 */
public final class LogScheduler implements AutoCloseable {
  private final ExecutorService flushers;
  private final ScheduledExecutorService timer;
  private final LongSupplier clock;

  public LogScheduler() {
    this(4, System::currentTimeMillis);
  }

  public LogScheduler(int flushThreads, LongSupplier clock) {
    this.flushers = Executors.newFixedThreadPool(flushThreads, daemon("tandem-flush-"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("tandem-log-timer-"));
    this.clock = clock;
  }

  public long now() {
    return clock.getAsLong();
  }

  /** Runs a flush task on the fsync pool. */
  void flush(Runnable task) {
    flushers.execute(task);
  }

  public ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    return timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
  }

  public ScheduledFuture<?> every(Runnable task, long periodMs) {
    return timer.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    flushers.shutdown();
    try {
      flushers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
