package dev.tandem.core.alarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's disk alarm: raised while the free space of the filesystem under the data directory is
 * below a limit (default {@value #DEFAULT_FREE_LIMIT} bytes, RabbitMQ's {@code disk_free_limit}),
 * cleared once it is back at or above it. While raised, the AMQP edge blocks connections that
 * publish (connection.blocked) and consumers go on draining queues, so that the broker does not run
 * the disk full; an append that meets a full disk anyway fails with a clear error.
 *
 * <p>The owner calls {@link #check()} periodically (the node does so every {@value #CHECK_MS} ms).
 * Thread-safe.
 */
public final class DiskAlarm {
  private static final Logger LOG = LoggerFactory.getLogger(DiskAlarm.class);

  /** RabbitMQ's default disk_free_limit: 50 MB. */
  public static final long DEFAULT_FREE_LIMIT = 50_000_000L;

  public static final long CHECK_MS = 1_000;

  private final Path directory;
  private volatile long limit = DEFAULT_FREE_LIMIT;
  private volatile long free = Long.MAX_VALUE;
  // Null while the alarm is clear; completes when it clears. Written under this, read lock-free
  // (the AMQP edge asks on every publish).
  private volatile CompletableFuture<Void> cleared;

  public DiskAlarm(Path directory) {
    this.directory = directory;
  }

  /** Sets the free-space limit in bytes and checks against it at once. */
  public void limit(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("disk free limit " + bytes);
    }
    limit = bytes;
    check();
  }

  public long limit() {
    return limit;
  }

  /** The free space found by the last check, in bytes. */
  public long free() {
    return free;
  }

  public boolean raised() {
    return cleared != null;
  }

  /** Completes when the alarm is clear: at once if it is now. */
  public CompletableFuture<Void> whenCleared() {
    CompletableFuture<Void> now = cleared;
    return now == null ? CompletableFuture.completedFuture(null) : now;
  }

  /** Reads the free space and raises or clears the alarm. A failed reading changes nothing. */
  public void check() {
    long usable;
    try {
      usable = Files.getFileStore(directory).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the free space under {}: {}", directory, e.toString());
      return;
    }
    free = usable;
    CompletableFuture<Void> released = null;
    synchronized (this) {
      if (usable < limit && cleared == null) {
        cleared = new CompletableFuture<>();
        LOG.warn(
            "disk alarm: {} bytes free under {}, below the limit of {}; publishers are blocked",
            usable,
            directory,
            limit);
      } else if (usable >= limit && cleared != null) {
        released = cleared;
        cleared = null;
        LOG.info("disk alarm cleared: {} bytes free under {}", usable, directory);
      }
    }
    if (released != null) {
      released.complete(null);
    }
  }
}
