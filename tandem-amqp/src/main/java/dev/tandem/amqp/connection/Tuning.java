package dev.tandem.amqp.connection;

import dev.tandem.amqp.AmqpSettings;
import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ConnectionMethod;
import dev.tandem.amqp.codec.FrameDescriptor;
import dev.tandem.amqp.codec.ReplyCode;

/**
 * The values negotiated by connection.tune / tune-ok (§1.4.2.5-6): the server proposes its
 * settings, the client answers with values no higher. Here, as the server's settings are limits: a
 * client's 0 for channel-max or frame-max means "no limit of mine" and the server's value applies;
 * a value above the server's, or a frame-max below the spec's 4096, is 530 NOT_ALLOWED, as RabbitMQ
 * refuses it. The heartbeat is the client's (0 turns heartbeats off), as RabbitMQ uses it.
 * Immutable.
 *
 * @param channelMax the highest channel number and the most channels open at once
 * @param frameMax the largest frame, overhead included
 * @param heartbeatSeconds the heartbeat interval; 0 for none
 */
record Tuning(int channelMax, int frameMax, int heartbeatSeconds) {

  static ConnectionMethod.Tune proposal(AmqpSettings settings) {
    return new ConnectionMethod.Tune(
        settings.channelMax(), settings.frameMax(), settings.heartbeatSeconds());
  }

  static Tuning negotiate(AmqpSettings settings, ConnectionMethod.TuneOk answer) {
    long frameMax = answer.frameMax() == 0 ? settings.frameMax() : answer.frameMax();
    if (frameMax < FrameDescriptor.FRAME_MIN_SIZE) {
      throw refused(
          "frame_max", frameMax, "lower than the minimum", FrameDescriptor.FRAME_MIN_SIZE);
    }
    if (frameMax > settings.frameMax()) {
      throw refused("frame_max", frameMax, "higher than the maximum", settings.frameMax());
    }
    int channelMax = answer.channelMax() == 0 ? settings.channelMax() : answer.channelMax();
    if (channelMax > settings.channelMax()) {
      throw refused("channel_max", channelMax, "higher than the maximum", settings.channelMax());
    }
    return new Tuning(channelMax, (int) frameMax, answer.heartbeat());
  }

  private static AmqpException refused(String field, long value, String bound, long limit) {
    return new AmqpException(
        ReplyCode.NOT_ALLOWED,
        "negotiated " + field + " = " + value + " is " + bound + " allowed value (" + limit + ")");
  }
}
