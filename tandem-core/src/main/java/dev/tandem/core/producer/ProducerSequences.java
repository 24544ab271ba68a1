package dev.tandem.core.producer;

import dev.tandem.storage.log.AppendResult;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sequence numbers of idempotent producers on one partition (KIP-98): for each producer id, its
 * epoch and its last five batches. A batch that repeats one of them is a retry and gets the first
 * write's result; a batch that skips or goes back is refused; an older epoch is fenced.
 *
 * <p>A producer the partition has no record of (new, or forgotten across a restart) may start at
 * any sequence. Not thread-safe: the owning partition calls it under its append lock.
 */
public final class ProducerSequences {
  static final int RECENT_BATCHES = 5;

  private record Batch(
      int firstSequence, int lastSequence, CompletableFuture<AppendResult> result) {}

  private static final class Producer {
    private short epoch;
    private final ArrayDeque<Batch> recent = new ArrayDeque<>();

    private Producer(short epoch) {
      this.epoch = epoch;
    }
  }

  private final Map<Long, Producer> producers = new HashMap<>();

  /**
   * Records a batch found in the log at start-up, so that a retry across a restart is recognised.
   */
  public void onRecovered(long producerId, short epoch, int first, int last, AppendResult result) {
    onAppended(producerId, epoch, first, last, CompletableFuture.completedFuture(result));
  }

  /**
   * Checks a batch before it is appended. Returns the earlier result when the batch is a duplicate,
   * null when it may be appended.
   *
   * @throws ProducerException when it is out of order or its epoch is fenced
   */
  public CompletableFuture<AppendResult> check(long producerId, short epoch, int first, int last) {
    Producer producer = producers.get(producerId);
    if (producer == null) {
      return null;
    }
    if (epoch < producer.epoch) {
      throw new ProducerException(
          ProducerException.Reason.PRODUCER_FENCED,
          "producer " + producerId + " epoch " + epoch + " is older than " + producer.epoch);
    }
    if (epoch > producer.epoch) {
      if (first != 0) {
        throw outOfOrder(producerId, epoch, first, "a new epoch starts at sequence 0");
      }
      return null;
    }
    for (Batch batch : producer.recent) {
      if (batch.firstSequence() == first && batch.lastSequence() == last) {
        return batch.result();
      }
    }
    Batch latest = producer.recent.peekLast();
    if (latest != null && first != nextSequence(latest.lastSequence())) {
      throw outOfOrder(producerId, epoch, first, "expected " + nextSequence(latest.lastSequence()));
    }
    return null;
  }

  /** Records a batch that was appended (its result may still be pending). */
  public void onAppended(
      long producerId, short epoch, int first, int last, CompletableFuture<AppendResult> result) {
    Producer producer = producers.computeIfAbsent(producerId, id -> new Producer(epoch));
    if (epoch > producer.epoch) {
      producer.epoch = epoch;
      producer.recent.clear();
    }
    producer.recent.addLast(new Batch(first, last, result));
    while (producer.recent.size() > RECENT_BATCHES) {
      producer.recent.removeFirst();
    }
  }

  /** Forgets a batch whose append failed, so that the producer's retry is not refused. */
  public void onFailed(long producerId, CompletableFuture<AppendResult> result) {
    Producer producer = producers.get(producerId);
    if (producer != null) {
      producer.recent.removeIf(batch -> batch.result() == result);
    }
  }

  private static int nextSequence(int sequence) {
    return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
  }

  private static ProducerException outOfOrder(long id, short epoch, int first, String why) {
    return new ProducerException(
        ProducerException.Reason.OUT_OF_ORDER_SEQUENCE,
        "producer " + id + " epoch " + epoch + " sent sequence " + first + ": " + why);
  }
}
