package dev.tandem.core.alarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ's disk alarm: raised while the free space of the filesystem under the data directory is
 * below a limit (default {@value #DEFAULT_FREE_LIMIT} bytes, RabbitMQ's {@code disk_free_limit}),
 * cleared once it is back at or above it, so that publishers do not run the disk full; an append
 * that meets a full disk anyway fails with a clear error.
 *
 * <p>Thread-safe.
 */
public final class DiskAlarm extends ResourceAlarm {
  private static final Logger LOG = LoggerFactory.getLogger(DiskAlarm.class);

  /** RabbitMQ's default disk_free_limit: 50 MB. */
  public static final long DEFAULT_FREE_LIMIT = 50_000_000L;

  private final Path directory;
  private volatile long limit = DEFAULT_FREE_LIMIT;
  private volatile long free = Long.MAX_VALUE;

  public DiskAlarm(Path directory) {
    super("low on disk space");
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

  /** Reads the free space and raises or clears the alarm. A failed reading changes nothing. */
  @Override
  public void check() {
    long usable;
    try {
      usable = Files.getFileStore(directory).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the free space under {}: {}", directory, e.toString());
      return;
    }
    free = usable;
    if (usable < limit) {
      if (raise()) {
        LOG.warn(
            "disk alarm: {} bytes free under {}, below the limit of {}; publishers are blocked",
            usable,
            directory,
            limit);
      }
    } else if (clear()) {
      LOG.info("disk alarm cleared: {} bytes free under {}", usable, directory);
    }
  }
}
