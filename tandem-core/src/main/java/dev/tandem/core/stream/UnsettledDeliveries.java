package dev.tandem.core.stream;

import java.util.Arrays;

/**
 * The delivery numbers a {@link StreamReader} handed out and that were not acked, rejected or
 * requeued yet. Numbers are added in increasing order, so the live ones are kept as a sorted run
 * {@code [head, tail)} of one array: settling finds a number by binary search and closes the gap
 * from the head side, which costs nothing for the usual in-order acks. No allocation per delivery;
 * the array grows only with the number outstanding (bounded by the consumer's prefetch).
 *
 * <p>Not thread-safe: the reader guards it.
 */
final class UnsettledDeliveries {
  private long[] numbers = new long[16];
  private int head;
  private int tail;

  /** Adds a number greater than every number added before. */
  void add(long number) {
    if (tail == numbers.length) {
      int live = tail - head;
      long[] target = live * 2 > numbers.length ? new long[numbers.length * 2] : numbers;
      System.arraycopy(numbers, head, target, 0, live);
      numbers = target;
      head = 0;
      tail = live;
    }
    numbers[tail++] = number;
  }

  /** Removes a number; returns false when it was not outstanding. */
  boolean remove(long number) {
    int at = Arrays.binarySearch(numbers, head, tail, number);
    if (at < 0) {
      return false;
    }
    System.arraycopy(numbers, head, numbers, head + 1, at - head);
    head++;
    return true;
  }

  int size() {
    return tail - head;
  }
}
