package dev.tandem.core.queue;

import java.util.Map;

/**
 * A message as core routes and stores it. The protocol that received it decodes what routing needs
 * ({@code headers}) and keeps its own encoding of the rest in {@code properties}, which core stores
 * and returns untouched. Immutable by convention: arrays are not copied.
 *
 * @param exchange the exchange it was published to
 * @param routingKey its routing key
 * @param properties the protocol's encoded properties (for AMQP, the content header's property
 *     flags and list), opaque to core
 * @param headers the application headers, decoded, for headers-exchange routing; may be empty
 * @param body the payload
 * @param persistent whether it must survive a restart when its queue is durable
 * @param expiresAt when it expires (epoch milliseconds; 0 never): from then on a queue drops it
 *     instead of delivering it (AMQP's per-message TTL, RabbitMQ's x-message-ttl)
 * @param priority 0 to 255 (AMQP's priority property; 0 when it has none): a queue with
 *     x-max-priority delivers higher priorities first, counting one above its maximum as the
 *     maximum
 */
public record Message(
    String exchange,
    String routingKey,
    byte[] properties,
    Map<String, Object> headers,
    byte[] body,
    boolean persistent,
    long expiresAt,
    int priority) {
  /** The largest priority a message may carry (AMQP's priority is an octet). */
  public static final int MAX_PRIORITY = 255;

  public Message {
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException("priority " + priority + " outside 0 to " + MAX_PRIORITY);
    }
  }

  /** A message of priority 0. */
  public Message(
      String exchange,
      String routingKey,
      byte[] properties,
      Map<String, Object> headers,
      byte[] body,
      boolean persistent,
      long expiresAt) {
    this(exchange, routingKey, properties, headers, body, persistent, expiresAt, 0);
  }

  /** A message of priority 0 that never expires. */
  public Message(
      String exchange,
      String routingKey,
      byte[] properties,
      Map<String, Object> headers,
      byte[] body,
      boolean persistent) {
    this(exchange, routingKey, properties, headers, body, persistent, 0);
  }

  /** Whether it has expired at {@code nowMillis}. */
  public boolean isExpired(long nowMillis) {
    return expiresAt != 0 && nowMillis > expiresAt;
  }

  /** The same message expiring at {@code deadline} if that is sooner. */
  Message expiringBy(long deadline) {
    if (expiresAt != 0 && expiresAt <= deadline) {
      return this;
    }
    return new Message(
        exchange, routingKey, properties, headers, body, persistent, deadline, priority);
  }
}
