package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.queue.MessageSource;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.user.Permission;
import java.util.Map;

/**
 * basic.consume and basic.cancel (§1.8.3.3, §1.8.3.5), as RabbitMQ serves them: an empty consumer
 * tag gets a server-generated {@code amq.ctag-...}; a tag already used on the channel is 530
 * NOT_ALLOWED; an exclusive consumer needs a queue without consumers and keeps others out (403
 * ACCESS_REFUSED "in exclusive use"); {@code x-priority} sets the consumer priority (an integer,
 * else 406). The consumer's prefetch is the channel's basic.qos {@code global=false} count at the
 * time of consuming. no-local is ignored, as RabbitMQ ignores it. A name with no classic queue but
 * a topic is a stream queue: {@link StreamConsume} checks the consume and opens a reader of it.
 *
 * <p>basic.cancel-ok is written by a task queued behind the deliveries the queue had already handed
 * over, so that none of them arrives after it (the Java client refuses a delivery for a consumer it
 * no longer knows). An auto-delete queue goes when its last consumer is gone.
 *
 * <p>Not thread-safe: the channel's event loop.
 */
final class BasicConsume {
  private final AmqpChannel channel;

  BasicConsume(AmqpChannel channel) {
    this.channel = channel;
  }

  void on(BasicMethod method) {
    if (method instanceof BasicMethod.Consume consume) {
      onConsume(consume);
    } else if (method instanceof BasicMethod.Cancel cancel) {
      onCancel(cancel);
    } else {
      throw new AmqpException(ReplyCode.COMMAND_INVALID, "unimplemented method");
    }
  }

  private void onConsume(BasicMethod.Consume m) {
    ChannelHost host = channel.host();
    String queueName = channel.resolveQueue(m.queue());
    String tag = m.consumerTag().isEmpty() ? Names.generate("amq.ctag") : m.consumerTag();
    if (channel.consumers().containsKey(tag)) {
      throw new AmqpException(ReplyCode.NOT_ALLOWED, "attempt to reuse consumer tag '" + tag + "'");
    }
    if (queueName.equals(DirectReplies.PSEUDO_QUEUE)) {
      consumeReplies(m, tag);
      return;
    }
    host.permit(Permission.Access.READ, "queue", queueName);
    Queue queue = StreamConsume.classicQueueOrNull(host, queueName);
    String target = queue != null ? queue.toString() : StreamConsume.describe(host, queueName);
    Map<String, Object> arguments = FieldTables.toMap(m.arguments());
    int priority = priority(arguments, target);
    MessageSource source =
        queue != null ? queue : StreamConsume.open(channel, m, queueName, arguments);
    ChannelConsumer consumer =
        new ChannelConsumer(
            channel, tag, source, m.noAck(), priority, channel.prefetch().consumerPrefetch());
    channel.consumers().put(tag, consumer);
    if (!source.tryAddConsumer(consumer, m.exclusive())) {
      channel.consumers().remove(tag);
      throw new AmqpException(ReplyCode.ACCESS_REFUSED, target + " in exclusive use");
    }
    if (!m.noWait()) {
      channel.send(new BasicMethod.ConsumeOk(tag));
    }
  }

  /**
   * A direct reply-to consumer: no-ack only, one per channel, as RabbitMQ has it; it gets the
   * replies to what the channel publishes with reply_to {@value DirectReplies#PSEUDO_QUEUE}.
   */
  private void consumeReplies(BasicMethod.Consume m, String tag) {
    if (!m.noAck()) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "reply consumer cannot acknowledge");
    }
    if (channel.replyQueue() != null && channel.replyQueue().hasConsumer()) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "reply consumer already set");
    }
    ReplyQueue replies = channel.host().directReplies().open(channel.host().vhost().name());
    ChannelConsumer consumer = new ChannelConsumer(channel, tag, replies, true, 0, 0);
    channel.consumers().put(tag, consumer);
    replies.tryAddConsumer(consumer, true);
    channel.replyQueue(replies);
    if (!m.noWait()) {
      channel.send(new BasicMethod.ConsumeOk(tag));
    }
  }

  private static int priority(Map<String, Object> arguments, String target) {
    Object value = arguments.get("x-priority");
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Long priority)) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "invalid arg 'x-priority' for " + target + ": expected an integer");
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, priority));
  }

  private void onCancel(BasicMethod.Cancel m) {
    ChannelConsumer consumer = channel.consumers().get(m.consumerTag());
    if (consumer == null) {
      if (!m.noWait()) {
        channel.send(new BasicMethod.CancelOk(m.consumerTag()));
      }
      return;
    }
    consumer.detach();
    consumer.source().removeConsumer(consumer);
    ChannelHost host = channel.host();
    host.execute(
        channel.id(),
        () -> {
          channel.consumers().remove(m.consumerTag(), consumer);
          if (!m.noWait()) {
            channel.send(new BasicMethod.CancelOk(m.consumerTag()));
          }
          host.vhost().onConsumerGone(consumer.source());
        });
  }
}
