package dev.tandem.core.alarm;

import java.util.concurrent.CompletableFuture;

/**
 * One of RabbitMQ's resource alarms: raised while the broker is short of a resource, cleared when
 * it is not. While any alarm is raised the AMQP edge blocks connections that publish
 * (connection.blocked, with {@link #reason()}) and consumers go on draining queues.
 *
 * <p>The node calls {@link #check()} every {@value #CHECK_MS} ms. Thread-safe: the state is written
 * under this object's lock and read lock-free (the AMQP edge asks on every publish).
 */
public abstract class ResourceAlarm {
  public static final long CHECK_MS = 1_000;

  private final String reason;
  // Null while the alarm is clear; completes when it clears.
  private volatile CompletableFuture<Void> cleared;

  protected ResourceAlarm(String reason) {
    this.reason = reason;
  }

  /** Measures the resource and raises or clears the alarm. */
  public abstract void check();

  /** What a blocked client is told, as RabbitMQ words it: {@code low on disk space}. */
  public String reason() {
    return reason;
  }

  public boolean raised() {
    return cleared != null;
  }

  /** Completes when the alarm is clear: at once if it is now. */
  public CompletableFuture<Void> whenCleared() {
    CompletableFuture<Void> now = cleared;
    return now == null ? CompletableFuture.completedFuture(null) : now;
  }

  /** Raises the alarm; true if it was clear. */
  protected final synchronized boolean raise() {
    if (cleared != null) {
      return false;
    }
    cleared = new CompletableFuture<>();
    return true;
  }

  /** Clears the alarm and releases whoever waits on it; true if it was raised. */
  protected final boolean clear() {
    CompletableFuture<Void> released;
    synchronized (this) {
      released = cleared;
      cleared = null;
    }
    if (released == null) {
      return false;
    }
    released.complete(null);
    return true;
  }
}
