package dev.tandem.core.producer;

import dev.tandem.storage.state.StateStore;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;

/**
 * Hands out producer ids (InitProducerId) that are never reused, even across restarts: ids are
 * reserved in durable blocks, so a restart skips at most the rest of one block. Thread-safe.
 */
public final class ProducerIds {
  static final String KEY = "producer-ids/next-block";
  static final long BLOCK = 1000;

  private final StateStore store;
  private long next;
  private long blockEnd;

  public ProducerIds(StateStore store) {
    this.store = store;
  }

  public synchronized long next() {
    if (next >= blockEnd) {
      reserveBlock();
    }
    return next++;
  }

  private void reserveBlock() {
    byte[] saved = store.get(KEY);
    long start = saved == null ? 0 : ByteBuffer.wrap(saved).getLong();
    try {
      store.put(KEY, ByteBuffer.allocate(8).putLong(start + BLOCK).array()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reserving producer ids", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not reserve producer ids", e.getCause());
    }
    next = start;
    blockEnd = start + BLOCK;
  }
}
