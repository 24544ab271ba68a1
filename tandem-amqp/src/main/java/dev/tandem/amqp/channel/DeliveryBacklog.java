package dev.tandem.amqp.channel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the deliveries of one connection that queues have handed to its event loop but that are
 * not written yet, so that a queue with a deep backlog and a consumer without prefetch cannot fill
 * the event loop's task queue: consumers report no capacity while the count is at its limit, and
 * {@code onDrained} runs (on the event loop) when the last one has been written, to let them
 * resume.
 *
 * <p>Thread-safe.
 */
public final class DeliveryBacklog {
  /** Deliveries in hand-off per connection before its consumers pause. */
  public static final int DEFAULT_LIMIT = 1024;

  private final AtomicInteger scheduled = new AtomicInteger();
  private final int limit;
  private final Runnable onDrained;

  public DeliveryBacklog(int limit, Runnable onDrained) {
    this.limit = limit;
    this.onDrained = onDrained;
  }

  /** Whether another delivery may be handed over now. */
  public boolean hasRoom() {
    return scheduled.get() < limit;
  }

  /** A delivery was handed to the event loop (any thread). */
  void onScheduled() {
    scheduled.incrementAndGet();
  }

  /** A delivery was written or given back (event loop). */
  void onDone() {
    if (scheduled.decrementAndGet() == 0) {
      onDrained.run();
    }
  }
}
