package dev.tandem.amqp;

/**
 * The settings of the AMQP listener, with RabbitMQ's defaults. Immutable.
 *
 * @param channelMax the most channels a connection may open (connection.tune, §1.4.2.5)
 * @param frameMax the largest frame the server proposes, overhead included
 * @param heartbeatSeconds the heartbeat interval the server proposes; 0 proposes none
 * @param maxMessageSize the largest message body accepted by basic.publish (RabbitMQ's {@code
 *     max_message_size})
 * @param handshakeTimeoutMillis how long a client may take from connecting to connection.open
 * @param closeTimeoutMillis how long the server waits for the client's close-ok after sending
 *     connection.close before it closes the socket
 * @param consumerTimeoutMillis how long a delivery may stay unacknowledged before its channel is
 *     closed with 406 (RabbitMQ's {@code consumer_timeout}); 0 for no limit
 */
public record AmqpSettings(
    int channelMax,
    int frameMax,
    int heartbeatSeconds,
    long maxMessageSize,
    long handshakeTimeoutMillis,
    long closeTimeoutMillis,
    long consumerTimeoutMillis) {

  /** RabbitMQ's default maximum message size, 128 MiB. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 128L * 1024 * 1024;

  /** RabbitMQ's upper bound for max_message_size, 512 MiB. */
  public static final long MAX_MESSAGE_SIZE_LIMIT = 512L * 1024 * 1024;

  /** RabbitMQ's default consumer timeout, 30 minutes. */
  public static final long DEFAULT_CONSUMER_TIMEOUT_MILLIS = 1_800_000;

  /**
   * RabbitMQ's defaults: 2047 channels, frames of 128 KiB, heartbeats every 60 s, deliveries
   * acknowledged within 30 minutes.
   */
  public static final AmqpSettings DEFAULTS =
      new AmqpSettings(
          2047,
          131_072,
          60,
          DEFAULT_MAX_MESSAGE_SIZE,
          10_000,
          1_000,
          DEFAULT_CONSUMER_TIMEOUT_MILLIS);

  public AmqpSettings {
    if (channelMax < 1 || channelMax > 65_535) {
      throw new IllegalArgumentException("channel-max " + channelMax + " not in 1..65535");
    }
    if (frameMax < 4096) {
      throw new IllegalArgumentException("frame-max " + frameMax + " below 4096");
    }
    if (heartbeatSeconds < 0 || heartbeatSeconds > 65_535) {
      throw new IllegalArgumentException("heartbeat " + heartbeatSeconds + " not in 0..65535");
    }
    if (maxMessageSize < 0 || maxMessageSize > MAX_MESSAGE_SIZE_LIMIT) {
      throw new IllegalArgumentException(
          "max message size " + maxMessageSize + " not in 0.." + MAX_MESSAGE_SIZE_LIMIT);
    }
    if (consumerTimeoutMillis < 0) {
      throw new IllegalArgumentException("consumer timeout " + consumerTimeoutMillis);
    }
  }

  public AmqpSettings withMaxMessageSize(long bytes) {
    return new AmqpSettings(
        channelMax,
        frameMax,
        heartbeatSeconds,
        bytes,
        handshakeTimeoutMillis,
        closeTimeoutMillis,
        consumerTimeoutMillis);
  }

  public AmqpSettings withHeartbeatSeconds(int seconds) {
    return new AmqpSettings(
        channelMax,
        frameMax,
        seconds,
        maxMessageSize,
        handshakeTimeoutMillis,
        closeTimeoutMillis,
        consumerTimeoutMillis);
  }

  public AmqpSettings withChannelMax(int channels) {
    return new AmqpSettings(
        channels,
        frameMax,
        heartbeatSeconds,
        maxMessageSize,
        handshakeTimeoutMillis,
        closeTimeoutMillis,
        consumerTimeoutMillis);
  }

  public AmqpSettings withConsumerTimeoutMillis(long millis) {
    return new AmqpSettings(
        channelMax,
        frameMax,
        heartbeatSeconds,
        maxMessageSize,
        handshakeTimeoutMillis,
        closeTimeoutMillis,
        millis);
  }
}
