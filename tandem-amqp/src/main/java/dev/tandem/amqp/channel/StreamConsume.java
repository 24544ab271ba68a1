package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.stream.StreamOffset;
import dev.tandem.core.stream.StreamReader;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.vhost.VhostException;
import java.util.Map;

/**
 * Consuming from a stream queue (a topic of the same name, when no classic queue has that name), as
 * RabbitMQ serves AMQP 0-9-1 consumers of streams ({@code rabbit_stream_queue:consume}), checked in
 * RabbitMQ's order:
 *
 * <ul>
 *   <li>a consumer prefetch is required: without basic.qos (global=false) first, 406
 *       PRECONDITION_FAILED "consumer prefetch count is not set for stream queue 'q' in vhost '/'";
 *   <li>manual acks are required: no-ack is 540 NOT_IMPLEMENTED "automatic acknowledgement not
 *       supported by stream queue 'q' in vhost '/'";
 *   <li>a channel-wide prefetch (basic.qos global=true) is 540 "queue 'q' in vhost '/' does not
 *       support global qos";
 *   <li>{@code x-stream-offset} as {@link StreamOffset} reads it; a bad one is 406 "failed
 *       consuming from stream queue 'q' in vhost '/': invalid_offset_arg" (or invalid_max_age).
 * </ul>
 *
 * Each consumer gets its own {@link StreamReader}; basic.get on a stream is 540 "basic.get not
 * supported by stream queues queue 'q' in vhost '/'". Stateless.
 */
final class StreamConsume {
  private StreamConsume() {}

  /**
   * The classic queue named {@code name}, or null when there is none but there is a stream of that
   * name; 404 (or 405 for another connection's exclusive queue) as for any queue otherwise.
   */
  static Queue classicQueueOrNull(ChannelHost host, String name) {
    try {
      return host.vhost().queue(name, host.owner());
    } catch (VhostException e) {
      if (e.reason() == VhostException.Reason.NOT_FOUND && host.vhost().stream(name).isPresent()) {
        return null;
      }
      throw e;
    }
  }

  /** How RabbitMQ names a queue in its refusals. */
  static String describe(ChannelHost host, String name) {
    return "queue '" + name + "' in vhost '" + host.vhost().name() + "'";
  }

  /** Checks a basic.consume on the stream {@code name} and opens its reader. */
  static StreamReader open(
      AmqpChannel channel, BasicMethod.Consume m, String name, Map<String, Object> arguments) {
    ChannelHost host = channel.host();
    String queue = describe(host, name);
    if (channel.prefetch().consumerPrefetch() == 0) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED, "consumer prefetch count is not set for stream " + queue);
    }
    if (m.noAck()) {
      throw new AmqpException(
          ReplyCode.NOT_IMPLEMENTED, "automatic acknowledgement not supported by stream " + queue);
    }
    if (channel.prefetch().limitsChannel()) {
      throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, queue + " does not support global qos");
    }
    StreamOffset start;
    try {
      start = StreamOffset.parse(arguments.get("x-stream-offset"), System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "failed consuming from stream " + queue + ": " + e.getMessage());
    }
    Topic topic =
        host.vhost().stream(name)
            .orElseThrow(() -> new AmqpException(ReplyCode.NOT_FOUND, "no " + queue));
    return host.streams().open(topic, host.vhost().recordMapping(), start);
  }

  /** basic.get on a stream. */
  static AmqpException getRefused(ChannelHost host, String name) {
    return new AmqpException(
        ReplyCode.NOT_IMPLEMENTED,
        "basic.get not supported by stream queues " + describe(host, name));
  }
}
