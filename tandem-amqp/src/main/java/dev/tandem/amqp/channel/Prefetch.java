package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ReplyCode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * basic.qos as RabbitMQ applies it (§1.8.3.1, RabbitMQ's "consumer prefetch"): with {@code
 * global=false} the count limits the unacknowledged deliveries of each consumer created on the
 * channel afterwards; with {@code global=true} it limits those of all consumers of the channel
 * together. 0 is no limit. A non-zero prefetch-size is 540 NOT_IMPLEMENTED, as in RabbitMQ.
 *
 * <p>Thread-safety: {@link #onQos} and {@link #consumerPrefetch()} on the event loop; the counters
 * and {@link #allowsAnother()} from any thread (queues ask under their own lock). With consumers on
 * several queues the channel limit may be exceeded by a delivery per queue racing for the last
 * slot.
 */
final class Prefetch {
  private volatile int consumerPrefetch;
  private volatile int channelPrefetch;
  private final AtomicInteger unacked = new AtomicInteger();

  /** Applies basic.qos; returns whether the channel limit grew (consumers may resume). */
  boolean onQos(BasicMethod.Qos qos) {
    if (qos.prefetchSize() != 0) {
      throw new AmqpException(
          ReplyCode.NOT_IMPLEMENTED, "prefetch_size!=0 (" + qos.prefetchSize() + ")");
    }
    if (!qos.global()) {
      consumerPrefetch = qos.prefetchCount();
      return false;
    }
    int before = channelPrefetch;
    channelPrefetch = qos.prefetchCount();
    return before != 0 && (channelPrefetch == 0 || channelPrefetch > before);
  }

  /** The per-consumer limit for a consumer created now. */
  int consumerPrefetch() {
    return consumerPrefetch;
  }

  /** Whether a channel-wide limit is set (basic.qos global=true with a count). */
  boolean limitsChannel() {
    return channelPrefetch != 0;
  }

  /** Whether the channel-wide limit allows one more unacknowledged delivery. */
  boolean allowsAnother() {
    int limit = channelPrefetch;
    return limit == 0 || unacked.get() < limit;
  }

  void onDelivered() {
    unacked.incrementAndGet();
  }

  void onSettled() {
    unacked.decrementAndGet();
  }
}
