package dev.tandem.amqp.connection;

import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A connection's work that waits on the disk (a durable definition's fsync, a queue's logs created
 * or removed), run on a shared pool instead of the event loop, which serves many connections. While
 * it runs, what the connection reads next waits here, so its methods still take effect in the order
 * sent. Several connections' work waits on one group commit together.
 *
 * <p>Event loop, except the work itself.
 */
final class DiskWork {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          8,
          task -> {
            Thread thread = new Thread(task, "tandem-amqp-disk-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private final ArrayDeque<Object> held = new ArrayDeque<>();
  // Written and read on the event loop only; volatile for the analysers, not for a second thread.
  private volatile boolean running;

  boolean running() {
    return running;
  }

  <T> CompletableFuture<T> start(Supplier<T> work) {
    running = true;
    return CompletableFuture.supplyAsync(work, POOL);
  }

  void finished() {
    running = false;
  }

  /** Keeps a message read while work runs; it is this object's to release. */
  void hold(Object msg) {
    held.add(msg);
  }

  /** The oldest message held, or null. */
  Object nextHeld() {
    return held.poll();
  }

  /** Releases what is held (the connection closed). */
  void releaseHeld() {
    Object msg;
    while ((msg = held.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
