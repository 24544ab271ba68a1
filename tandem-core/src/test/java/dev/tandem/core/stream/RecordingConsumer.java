package dev.tandem.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.QueueConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer with a prefetch, as the AMQP channel's: it takes deliveries while fewer than {@code
 * prefetch} are unsettled, and {@link #settle} frees one and asks the source for more.
 */
final class RecordingConsumer implements QueueConsumer {
  private final int prefetch;
  private final AtomicInteger unsettled = new AtomicInteger();
  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private final CountDownLatch deleted = new CountDownLatch(1);

  RecordingConsumer(int prefetch) {
    this.prefetch = prefetch;
  }

  @Override
  public boolean autoAck() {
    return false;
  }

  @Override
  public boolean hasCapacity() {
    return unsettled.get() < prefetch;
  }

  @Override
  public void deliver(Delivery delivery) {
    unsettled.incrementAndGet();
    deliveries.add(delivery);
  }

  @Override
  public void onQueueDeleted() {
    deleted.countDown();
  }

  /** The next delivery, waiting up to 5 s. */
  Delivery next() throws InterruptedException {
    Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
    assertThat(delivery).as("a delivery within 5 s").isNotNull();
    return delivery;
  }

  /** The stream offsets of the next {@code count} deliveries, each acked as it comes. */
  List<Long> ackNext(int count) throws InterruptedException {
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Delivery delivery = next();
      offsets.add(streamOffset(delivery));
      settle(delivery);
    }
    return offsets;
  }

  /** Acks a delivery: frees its credit and asks for more. */
  void settle(Delivery delivery) {
    assertThat(delivery.source().ack(delivery.offset())).isTrue();
    unsettled.decrementAndGet();
    delivery.source().dispatch();
  }

  /** Requeues a delivery, as a channel closing does: frees its credit and asks for more. */
  void requeue(Delivery delivery) {
    assertThat(delivery.source().requeue(delivery.offset())).isTrue();
    unsettled.decrementAndGet();
    delivery.source().dispatch();
  }

  /** Whether nothing more arrives within {@code millis}. */
  boolean quietFor(long millis) throws InterruptedException {
    return deliveries.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  boolean awaitDeleted() throws InterruptedException {
    return deleted.await(5, TimeUnit.SECONDS);
  }

  static long streamOffset(Delivery delivery) {
    return (Long) delivery.message().headers().get("x-stream-offset");
  }
}
