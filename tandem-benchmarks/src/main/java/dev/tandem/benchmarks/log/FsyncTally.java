package dev.tandem.benchmarks.log;

import dev.tandem.storage.log.Log;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shares a log's fsync count out among the threads appending to it: each thread claims the fsyncs
 * that happened since any thread last claimed, so the per-thread counts add up to the log's count
 * and JMH's per-thread rates sum to the log's fsyncs/s.
 *
 * <p>Thread-safe.
 */
final class FsyncTally {
  private final AtomicLong claimed = new AtomicLong();

  /** Starts counting from the log's current count; call before an iteration. */
  void reset(Log log) {
    claimed.set(log.fsyncCount());
  }

  /** The fsyncs no thread has claimed yet, now claimed by the caller. */
  long claim(Log log) {
    long now = log.fsyncCount();
    long before = claimed.getAndAccumulate(now, Math::max);
    return Math.max(0, now - before);
  }
}
