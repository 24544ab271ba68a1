package dev.tandem.core.topic;

import dev.tandem.core.producer.ProducerSequences;
import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatch;
import dev.tandem.storage.record.RecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One partition of a topic: its log, the sequence state of idempotent producers writing to it, and
 * a signal for readers waiting for data (long-poll fetches, stream consumers).
 *
 * <p>Thread-safe: appends serialise on the partition; {@link #dataAfter} may be called anywhere.
 */
public final class Partition {
  private final String topic;
  private final int index;
  private final Log log;
  private final ProducerSequences producers = new ProducerSequences();
  private final AtomicReference<CompletableFuture<Void>> nextData =
      new AtomicReference<>(new CompletableFuture<>());

  Partition(String topic, int index, Log log) {
    this.topic = topic;
    this.index = index;
    this.log = log;
    recoverProducers();
  }

  /**
   * Rebuilds idempotent producers' recent batches from the active segment, so that a producer
   * retrying a batch that was written just before a crash gets its first result, not a duplicate.
   */
  private void recoverProducers() {
    long offset = Math.max(log.startOffset(), log.activeSegmentBaseOffset());
    RecordBatch batch = new RecordBatch();
    try {
      while (offset < log.highWatermark()) {
        ByteBuffer buffer = log.read(offset, 1 << 20, true).readAll();
        long next = offset;
        for (int at = 0;
            at + RecordBatch.HEADER_SIZE <= buffer.limit();
            at += batch.sizeInBytes()) {
          batch.wrap(buffer, at);
          if (at + batch.sizeInBytes() > buffer.limit()) {
            break;
          }
          if (batch.producerId() >= 0
              && batch.baseSequence() >= 0
              && batch.lastOffset() >= offset) {
            producers.onRecovered(
                batch.producerId(),
                batch.producerEpoch(),
                batch.baseSequence(),
                batch.baseSequence() + batch.lastOffsetDelta(),
                new AppendResult(batch.baseOffset(), batch.lastOffset(), -1, log.startOffset()));
          }
          next = batch.lastOffset() + 1;
        }
        if (next == offset) {
          break;
        }
        offset = next;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("recovering producer state of " + this, e);
    }
  }

  public String topic() {
    return topic;
  }

  public int index() {
    return index;
  }

  public Log log() {
    return log;
  }

  /**
   * Appends batches as sent by a producer. A batch from an idempotent producer is checked against
   * its sequence: a retry of an earlier batch returns that batch's result without writing again.
   *
   * @throws dev.tandem.core.producer.ProducerException for an out-of-order or fenced batch
   */
  public CompletableFuture<AppendResult> append(ByteBuffer batches) {
    RecordBatch first = new RecordBatch().wrap(batches, batches.position());
    boolean idempotent =
        batches.remaining() >= RecordBatch.HEADER_SIZE
            && first.producerId() >= 0
            && first.baseSequence() >= 0;
    CompletableFuture<AppendResult> result;
    synchronized (this) {
      if (!idempotent) {
        result = log.append(batches);
      } else {
        long producerId = first.producerId();
        short epoch = first.producerEpoch();
        int firstSequence = first.baseSequence();
        int lastSequence = firstSequence + first.lastOffsetDelta();
        CompletableFuture<AppendResult> earlier =
            producers.check(producerId, epoch, firstSequence, lastSequence);
        if (earlier != null) {
          return earlier;
        }
        result = log.append(batches);
        producers.onAppended(producerId, epoch, firstSequence, lastSequence, result);
        CompletableFuture<AppendResult> appended = result;
        result.whenComplete(
            (r, e) -> {
              if (e != null) {
                synchronized (this) {
                  producers.onFailed(producerId, appended);
                }
              }
            });
      }
    }
    result.whenComplete((r, e) -> signalData());
    return result;
  }

  /**
   * Reads whole records from {@code offset} (moved up to the log start if it lies below), at most
   * about {@code maxBytes} of batches but always at least one batch when one is there; records of
   * the first batch below {@code offset} are skipped.
   *
   * @return the offset after the last record passed to {@code sink}, or the offset reading started
   *     at when there was nothing to read
   */
  public long readRecords(long offset, int maxBytes, Consumer<LogRecord> sink) throws IOException {
    long from = Math.max(offset, log.startOffset());
    if (from >= log.highWatermark()) {
      return from;
    }
    ByteBuffer buffer = log.read(from, maxBytes, true).readAll();
    long[] next = {from};
    RecordReader.forEach(
        buffer,
        record -> {
          if (record.offset() >= from) {
            sink.accept(record);
          }
          next[0] = Math.max(next[0], record.offset() + 1);
        });
    return next[0];
  }

  /**
   * A future that completes once data at or after {@code offset} can be read: at once when it
   * already can, otherwise at the next advance of the high watermark (callers re-check).
   */
  public CompletableFuture<Void> dataAfter(long offset) {
    CompletableFuture<Void> signal = nextData.get();
    if (log.highWatermark() > offset) {
      return CompletableFuture.completedFuture(null);
    }
    return signal;
  }

  private void signalData() {
    nextData.getAndSet(new CompletableFuture<>()).complete(null);
  }

  @Override
  public String toString() {
    return topic + "-" + index;
  }
}
