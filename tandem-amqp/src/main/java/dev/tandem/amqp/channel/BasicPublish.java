package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.user.Permission;
import dev.tandem.core.vhost.Vhost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * basic.publish (§1.8.3.7): the method starts a {@link ContentAssembler}; the complete publication
 * is checked as RabbitMQ checks it and routed through core. The message keeps the raw property
 * bytes as the client sent them, so deliveries carry exactly what was published; its {@code
 * headers} are decoded for headers-exchange routing; delivery-mode 2 makes it persistent; its
 * priority (0 without one) orders it in queues with x-max-priority.
 *
 * <ul>
 *   <li>immediate=true: 540 NOT_IMPLEMENTED, as RabbitMQ;
 *   <li>a missing exchange 404, an internal one 403 (checked before a transaction buffers it);
 *   <li>user-id other than the authenticated user: 406;
 *   <li>an expiration (per-message TTL, in milliseconds) sets when the message expires; one that is
 *       not a non-negative integer below 2^32 is 406 "invalid expiration", as RabbitMQ;
 *   <li>mandatory and routed nowhere: basic.return 312 NO_ROUTE with the message; a message held by
 *       a delayed-message exchange is not returned (its route is known only when it is due);
 *   <li>publisher confirms: see {@link PublisherConfirms}; transactions: see {@link Transaction}.
 * </ul>
 *
 * <p>Not thread-safe: the channel's event loop.
 */
final class BasicPublish {
  /** RabbitMQ's largest TTL, in milliseconds. */
  private static final long MAX_EXPIRY = 4_294_967_295L;

  private final AmqpChannel channel;

  /** The exchange the last permitted publish went to: the check is skipped while it repeats. */
  private String permittedExchange;

  BasicPublish(AmqpChannel channel) {
    this.channel = channel;
  }

  void onPublish(BasicMethod.Publish publish) {
    if (publish.immediate()) {
      throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "immediate=true");
    }
    if (!publish.exchange().equals(permittedExchange)) {
      channel.host().permit(Permission.Access.WRITE, "exchange", publish.exchange());
      permittedExchange = publish.exchange();
    }
    channel.host().permitTopic(Permission.Access.WRITE, publish.exchange(), publish.routingKey());
    channel.content().begin(publish);
  }

  void onPublication(Publication published) {
    ChannelHost host = channel.host();
    host.metrics().onPublished();
    BasicProperties sent = published.properties();
    checkProperties(sent, host.user());
    Map<String, Object> headers = FieldTables.toMap(sent.headers());
    Publication publication = withoutBcc(withReplyQueue(published));
    BasicMethod.Publish method = publication.method();
    BasicProperties properties = publication.properties();
    Message message =
        new Message(
            method.exchange(),
            method.routingKey(),
            publication.rawProperties(),
            headers,
            publication.body(),
            Integer.valueOf(2).equals(properties.deliveryMode()),
            expiresAt(properties.expiration(), System.currentTimeMillis()),
            priority(properties.priority()));
    host.vhost().checkPublishable(method.exchange());
    if (channel.transaction().active()) {
      channel.transaction().buffer(publication, message);
      return;
    }
    Vhost.Routed routed = route(publication, message);
    holdBackIfCongested(routed);
    PublisherConfirms confirms = channel.confirms();
    if (confirms.enabled()) {
      long sequence = confirms.next();
      if (routed.unroutable()) {
        confirms.confirmNow(sequence);
      } else {
        confirms.onStored(sequence, routed.stored());
      }
    }
  }

  /** Publisher flow control: a congested queue holds this connection's reading back. */
  private void holdBackIfCongested(Vhost.Routed routed) {
    List<Queue> queues = routed.queues();
    for (int i = 0; i < queues.size(); i++) {
      CompletableFuture<Void> congestion = queues.get(i).congestion();
      if (congestion != null) {
        channel.host().holdBackPublisher(congestion);
        return;
      }
    }
  }

  /**
   * A request for a direct reply ({@code reply_to} {@value DirectReplies#PSEUDO_QUEUE}) gets the
   * name of the channel's reply queue instead; without a reply consumer on the channel it is 406,
   * as in RabbitMQ.
   */
  private Publication withReplyQueue(Publication publication) {
    if (!DirectReplies.PSEUDO_QUEUE.equals(publication.properties().replyTo())) {
      return publication;
    }
    ReplyQueue replies = channel.replyQueue();
    if (replies == null || !replies.hasConsumer()) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "fast reply consumer does not exist");
    }
    return withProperties(
        publication, publication.properties().toBuilder().replyTo(replies.name()).build());
  }

  /**
   * Sender-selected distribution: the BCC header routes the message (core reads it from the decoded
   * headers) but is not part of what is stored and delivered, as in RabbitMQ.
   */
  private static Publication withoutBcc(Publication publication) {
    FieldTable headers = publication.properties().headers();
    if (headers == null || headers.get("BCC") == null) {
      return publication;
    }
    Map<String, FieldValue> kept = new LinkedHashMap<>(headers.entries());
    kept.remove("BCC");
    return withProperties(
        publication, publication.properties().toBuilder().headers(FieldTable.of(kept)).build());
  }

  /** The publication with properties the broker rewrote, encoded again for what is stored. */
  private static Publication withProperties(Publication publication, BasicProperties properties) {
    return new Publication(
        publication.method(), properties, properties.toBytes(), publication.body());
  }

  /** Routes a message; returns it to the publisher if mandatory and unroutable. */
  Vhost.Routed route(Publication publication, Message message) {
    ChannelHost host = channel.host();
    Vhost.Routed routed =
        message.exchange().isEmpty() && DirectReplies.isReplyQueueName(message.routingKey())
            ? host.directReplies().route(host.vhost().name(), message)
            : host.vhost().publish(message.exchange(), message);
    if (routed.unroutable() && publication.method().mandatory()) {
      channel.sendCommand(
          new BasicMethod.Return(
              ReplyCode.NO_ROUTE.code(),
              ReplyCode.NO_ROUTE.name(),
              message.exchange(),
              message.routingKey()),
          publication.rawProperties(),
          publication.body());
      channel.host().metrics().onReturned();
    }
    return routed;
  }

  /** The priority core queues by: the property (an octet, 0 to 255), or 0 without one. */
  static int priority(Integer priority) {
    return priority == null ? 0 : Math.max(0, Math.min(Message.MAX_PRIORITY, priority));
  }

  private static void checkProperties(BasicProperties properties, String user) {
    if (properties.userId() != null && !properties.userId().equals(user)) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "user_id property set to '"
              + properties.userId()
              + "' but authenticated user was '"
              + user
              + "'");
    }
  }

  /**
   * The deadline of a message with an {@code expiration} property (per-message TTL, milliseconds as
   * a decimal string), or 0; an expiration RabbitMQ would not parse is 406 "invalid expiration".
   */
  static long expiresAt(String expiration, long nowMillis) {
    if (expiration == null) {
      return 0;
    }
    String problem = expirationProblem(expiration);
    if (problem != null) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "invalid expiration '" + expiration + "': " + problem);
    }
    return nowMillis + Long.parseLong(expiration);
  }

  /** As {@link #expiresAt}, but 0 (never) for an expiration that is absent or invalid. */
  static long expiresAtIfValid(String expiration, long nowMillis) {
    return expiration == null || expirationProblem(expiration) != null
        ? 0
        : nowMillis + Long.parseLong(expiration);
  }

  /**
   * Why RabbitMQ would refuse an expiration, or null: it must be an optional minus and 1 to 19
   * decimal digits, not negative, at most {@link #MAX_EXPIRY}.
   */
  private static String expirationProblem(String expiration) {
    int start = expiration.startsWith("-") ? 1 : 0;
    int digits = expiration.length() - start;
    if (digits < 1 || digits > 19) {
      return "no_integer";
    }
    for (int i = start; i < expiration.length(); i++) {
      char c = expiration.charAt(i);
      if (c < '0' || c > '9') {
        return "no_integer";
      }
    }
    // 19 digits always fit an unsigned long, so this cannot overflow.
    long magnitude = Long.parseUnsignedLong(expiration, start, expiration.length(), 10);
    if (start == 1 && magnitude != 0) {
      return "value_negative";
    }
    if (Long.compareUnsigned(magnitude, MAX_EXPIRY) > 0) {
      return "value_too_large";
    }
    return null;
  }
}
