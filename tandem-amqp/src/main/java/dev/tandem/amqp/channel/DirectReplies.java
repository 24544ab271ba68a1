package dev.tandem.amqp.channel;

import dev.tandem.core.queue.Message;
import dev.tandem.core.vhost.Vhost;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RabbitMQ's direct reply-to: a client consumes, with no-ack, from the pseudo-queue {@value
 * #PSEUDO_QUEUE} and publishes requests whose {@code reply_to} is that name; the broker rewrites it
 * to {@code amq.rabbitmq.reply-to.<token>}, a name of that channel's {@link ReplyQueue}, and a
 * reply published to the default exchange with that routing key goes straight to the consumer,
 * through no queue and no log. A reply whose consumer is gone goes nowhere (returned if mandatory).
 *
 * <p>Thread-safe: one per AMQP listener, shared by every connection.
 */
public final class DirectReplies {
  static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";
  private static final String PREFIX = PSEUDO_QUEUE + ".";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, ReplyQueue> queues = new ConcurrentHashMap<>();

  /** A new reply queue for a channel consuming the pseudo-queue in {@code vhost}. */
  ReplyQueue open(String vhost) {
    byte[] token = new byte[18];
    RANDOM.nextBytes(token);
    String name = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    ReplyQueue queue = new ReplyQueue(name, vhost, this);
    queues.put(name, queue);
    return queue;
  }

  void forget(ReplyQueue queue) {
    queues.remove(queue.name(), queue);
  }

  /** Whether a name is that of a reply queue (existing or not). */
  static boolean isReplyQueueName(String name) {
    return name.startsWith(PREFIX);
  }

  /** The reply queue of that name in the vhost, while its consumer is there. */
  Optional<ReplyQueue> find(String vhost, String name) {
    ReplyQueue queue = queues.get(name);
    return queue != null && queue.vhost().equals(vhost) && queue.hasConsumer()
        ? Optional.of(queue)
        : Optional.empty();
  }

  /**
   * Routes a reply (a publish to the default exchange with a reply queue's name as routing key): to
   * its consumer, or nowhere.
   */
  Vhost.Routed route(String vhost, Message reply) {
    boolean delivered = find(vhost, reply.routingKey()).map(q -> q.publish(reply)).orElse(false);
    // A delivered reply reached a consumer, not a queue: it counts as routed, as a held message
    // does, so that a mandatory publish is not returned.
    return new Vhost.Routed(
        List.of(), List.of(), CompletableFuture.completedFuture(null), delivered);
  }
}
