package dev.tandem.core.queue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publisher flow control for one queue, as RabbitMQ's credit flow gives it: when publishers outrun
 * a queue's active consumers, so that ready messages pile up past the in-memory window and spill to
 * disk, the queue is congested and the protocol edge holds its publishers back (AMQP stops reading
 * their sockets) until the consumers have drained it to half the window. Without it a fast
 * publisher pushes the backlog onto disk, where the consumer reads it back slower still, and the
 * gap widens instead of settling.
 *
 * <p>Only consumption that is under way counts: a queue without consumers, or whose consumers took
 * nothing for {@value #ACTIVE_MILLIS} ms (prefetch full, stopped), never holds publishers back, so
 * backlogs can still build up on disk. The edge bounds each hold (see the AMQP connection).
 *
 * <p>Thread-safe: the queue reports under its own lock; {@link #congestion} is lock-free while the
 * queue flows.
 */
final class QueueFlow {
  static final int HIGH_WATER = ReadyMessages.WINDOW_MESSAGES;
  static final int LOW_WATER = HIGH_WATER / 2;
  static final long ACTIVE_MILLIS = 100;

  private volatile boolean congested;
  private CompletableFuture<Void> drained;
  private volatile long lastDeliveryNanos;

  /** A consumer took a message. */
  void onDelivered() {
    lastDeliveryNanos = System.nanoTime();
  }

  /** A message was published; {@code ready} counts it. */
  void onPublished(long ready, boolean hasConsumers) {
    if (!congested
        && ready > HIGH_WATER
        && hasConsumers
        && System.nanoTime() - lastDeliveryNanos < TimeUnit.MILLISECONDS.toNanos(ACTIVE_MILLIS)) {
      congested = true;
    }
  }

  /** A ready message left (delivered, dropped, expired). */
  void onTaken(long ready) {
    if (congested && ready <= LOW_WATER) {
      relieve();
    }
  }

  /** Publishers may go on: drained, purged, deleted, or no consumers left. */
  synchronized void relieve() {
    congested = false;
    if (drained != null) {
      CompletableFuture<Void> waiting = drained;
      drained = null;
      waiting.complete(null);
    }
  }

  /** Null while the queue flows; else completes once publishers may go on. */
  CompletableFuture<Void> congestion() {
    if (!congested) {
      return null;
    }
    synchronized (this) {
      if (!congested) {
        return null;
      }
      if (drained == null) {
        drained = new CompletableFuture<>();
      }
      return drained;
    }
  }
}
