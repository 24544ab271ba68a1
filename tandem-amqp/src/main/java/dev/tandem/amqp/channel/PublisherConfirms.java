package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpMethod;
import dev.tandem.amqp.codec.BasicMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Publisher confirms of one channel (RabbitMQ's confirm.select extension): after confirm.select
 * every publish gets the next sequence number from 1, and is confirmed with basic.ack once core
 * says it is safe ({@code Routed.stored()}: on disk for a persistent message in a durable queue),
 * or with basic.nack if it could not be stored. An unroutable message is confirmed at once (after
 * its basic.return, which is written first).
 *
 * <p>Confirms completed in one batch (a read batch, or a store completion) are coalesced as
 * RabbitMQ does: the acks below the lowest sequence number still pending go out as one basic.ack
 * with {@code multiple=true}, never covering a pending one; the rest, and every nack, go out one by
 * one. A nack is written before any multiple ack that would cover its number.
 *
 * <p>Not thread-safe: runs on the connection's event loop; store completions are brought back to it
 * through {@code loop}.
 */
final class PublisherConfirms {
  private final Consumer<AmqpMethod> out;
  private final Executor loop;
  private final TreeSet<Long> pending = new TreeSet<>();
  private final List<Long> acked = new ArrayList<>();
  private final List<Long> nacked = new ArrayList<>();
  private boolean enabled;
  private boolean closed;
  private long nextSequence = 1;

  /**
   * @param out writes a method on the channel
   * @param loop runs a task on the connection's event loop
   */
  PublisherConfirms(Consumer<AmqpMethod> out, Executor loop) {
    this.out = out;
    this.loop = loop;
  }

  boolean enabled() {
    return enabled;
  }

  void enable() {
    enabled = true;
  }

  /** The sequence number of the next publish. */
  long next() {
    return nextSequence++;
  }

  /** Confirms {@code sequence} when {@code stored} completes: ack, or nack if it failed. */
  void onStored(long sequence, CompletableFuture<Void> stored) {
    if (stored.isDone()) {
      complete(sequence, !stored.isCompletedExceptionally());
      return;
    }
    pending.add(sequence);
    stored.whenComplete(
        (ignored, failure) ->
            loop.execute(
                () -> {
                  pending.remove(sequence);
                  complete(sequence, failure == null);
                  flush();
                }));
  }

  /** Confirms {@code sequence} now (an unroutable message). */
  void confirmNow(long sequence) {
    complete(sequence, true);
  }

  private void complete(long sequence, boolean stored) {
    (stored ? acked : nacked).add(sequence);
  }

  /** Writes the confirms completed since the last flush. */
  void flush() {
    if (closed || (acked.isEmpty() && nacked.isEmpty())) {
      return;
    }
    long lowestPending = pending.isEmpty() ? Long.MAX_VALUE : pending.first();
    acked.sort(null);
    nacked.sort(null);
    int n = 0;
    long runEnd = 0;
    int runLength = 0;
    for (long ack : acked) {
      while (n < nacked.size() && nacked.get(n) < ack) {
        runLength = writeRun(runEnd, runLength);
        out.accept(new BasicMethod.Nack(nacked.get(n++), false, false));
      }
      if (ack < lowestPending) {
        runEnd = ack;
        runLength++;
      } else {
        runLength = writeRun(runEnd, runLength);
        out.accept(new BasicMethod.Ack(ack, false));
      }
    }
    writeRun(runEnd, runLength);
    while (n < nacked.size()) {
      out.accept(new BasicMethod.Nack(nacked.get(n++), false, false));
    }
    acked.clear();
    nacked.clear();
  }

  private int writeRun(long runEnd, int runLength) {
    if (runLength > 0) {
      out.accept(new BasicMethod.Ack(runEnd, runLength > 1));
    }
    return 0;
  }

  /** The channel closed: nothing more is written. */
  void close() {
    closed = true;
    pending.clear();
    acked.clear();
    nacked.clear();
  }
}
