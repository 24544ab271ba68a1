package dev.tandem.core.stream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the partition of a record as Kafka's default partitioner does for a keyed record: the
 * positive part of the key's murmur2 hash, modulo the partition count, so that an AMQP publish with
 * routing key K lands in the same partition as a Kafka record with key K. Records without a key go
 * round-robin.
 *
 * <p>Thread-safe.
 */
public final class KeyPartitioner {
  private static final int SEED = 0x9747b28c;
  private static final int M = 0x5bd1e995;
  private static final int R = 24;

  private final AtomicInteger roundRobin = new AtomicInteger();

  public int partition(byte[] key, int partitions) {
    if (partitions == 1) {
      return 0;
    }
    if (key == null) {
      return (roundRobin.getAndIncrement() & 0x7fffffff) % partitions;
    }
    return (murmur2(key) & 0x7fffffff) % partitions;
  }

  /** MurmurHash2, 32 bits, with the seed Kafka's partitioner uses. */
  static int murmur2(byte[] data) {
    int length = data.length;
    int h = SEED ^ length;
    int whole = length & ~3;
    for (int i = 0; i < whole; i += 4) {
      int k =
          (data[i] & 0xff)
              | (data[i + 1] & 0xff) << 8
              | (data[i + 2] & 0xff) << 16
              | (data[i + 3] & 0xff) << 24;
      k *= M;
      k ^= k >>> R;
      k *= M;
      h *= M;
      h ^= k;
    }
    int tail = length & 3;
    if (tail == 3) {
      h ^= (data[whole + 2] & 0xff) << 16;
    }
    if (tail >= 2) {
      h ^= (data[whole + 1] & 0xff) << 8;
    }
    if (tail >= 1) {
      h ^= data[whole] & 0xff;
      h *= M;
    }
    h ^= h >>> 13;
    h *= M;
    h ^= h >>> 15;
    return h;
  }
}
