package dev.tandem.core.vhost;

import dev.tandem.core.queue.DeathReason;
import dev.tandem.core.queue.Message;

/**
 * How a dead-lettered message is rewritten before it is republished: core decides when a message is
 * dead-lettered and where it goes; the protocol that owns the message's property encoding rewrites
 * it (for AMQP: the {@code x-death} and {@code x-first-death-*} headers, the expiration property
 * removed). Must be thread-safe and must not block.
 */
@FunctionalInterface
public interface DeadLetterRewriter {
  /** Keeps the properties as they are: for messages no protocol has claimed. */
  DeadLetterRewriter UNCHANGED =
      (message, death) ->
          new Message(
              death.exchange(),
              death.routingKey(),
              message.properties(),
              message.headers(),
              message.body(),
              message.persistent(),
              0,
              message.priority());

  /**
   * The message as republished: to {@code death.exchange()} with {@code death.routingKey()}, never
   * expiring by itself, with its priority, its {@code headers} decoded so that routing and cycle
   * detection can read {@code x-death} (a list of maps with at least {@code queue} and {@code
   * reason}).
   */
  Message rewrite(Message message, DeadLetter death);

  /**
   * One dead-lettering.
   *
   * @param queue the queue that dead-letters the message
   * @param reason why
   * @param exchange the dead-letter exchange it is republished to
   * @param routingKey the routing key it is republished with
   * @param replacesKeys whether that is the queue's {@code x-dead-letter-routing-key}, which
   *     replaces the message's own keys, CC ones included (as RabbitMQ, the rewrite then drops the
   *     CC header); otherwise the message is republished with its own key and CC keys
   * @param timeMillis when, epoch milliseconds
   */
  record DeadLetter(
      String queue,
      DeathReason reason,
      String exchange,
      String routingKey,
      boolean replacesKeys,
      long timeMillis) {}
}
