package dev.tandem.amqp.channel;

import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.MessageSource;
import dev.tandem.core.queue.QueueConsumer;
import java.util.ArrayDeque;

/**
 * The replies on their way to one direct reply-to consumer ({@link DirectReplies}): in memory only,
 * delivered as the consumer has capacity (its channel writable), never acknowledged. It goes when
 * its consumer does. At most {@value #MAX_WAITING} replies wait; more go nowhere.
 *
 * <p>Thread-safe; its consumer is called under its lock, as {@link QueueConsumer} expects.
 */
final class ReplyQueue implements MessageSource {
  static final int MAX_WAITING = 65_536;

  private final String name;
  private final String vhost;
  private final DirectReplies owner;
  private final ArrayDeque<Message> waiting = new ArrayDeque<>();
  private QueueConsumer consumer;
  private long delivered;

  ReplyQueue(String name, String vhost, DirectReplies owner) {
    this.name = name;
    this.vhost = vhost;
    this.owner = owner;
  }

  @Override
  public String name() {
    return name;
  }

  String vhost() {
    return vhost;
  }

  synchronized boolean hasConsumer() {
    return consumer != null;
  }

  /** Takes a reply for the consumer; false when it is gone or too many replies wait. */
  synchronized boolean publish(Message reply) {
    if (consumer == null || waiting.size() >= MAX_WAITING) {
      return false;
    }
    waiting.add(reply);
    dispatch();
    return true;
  }

  @Override
  public synchronized boolean tryAddConsumer(QueueConsumer added, boolean exclusive) {
    if (consumer != null) {
      return false;
    }
    consumer = added;
    return true;
  }

  @Override
  public synchronized void removeConsumer(QueueConsumer removed) {
    if (consumer == removed) {
      consumer = null;
      waiting.clear();
      owner.forget(this);
    }
  }

  @Override
  public synchronized void dispatch() {
    while (consumer != null && !waiting.isEmpty() && consumer.hasCapacity()) {
      consumer.deliver(new Delivery(this, delivered++, waiting.poll(), false, 0));
    }
  }

  @Override
  public boolean ack(long offset) {
    return false;
  }

  @Override
  public boolean reject(long offset) {
    return false;
  }

  @Override
  public boolean requeue(long offset) {
    return false;
  }

  @Override
  public String toString() {
    return "queue '" + name + "'";
  }
}
