package dev.tandem.amqp.connection;

import dev.tandem.amqp.channel.AmqpChannel;
import dev.tandem.amqp.channel.ChannelHost;
import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The open channels of a connection by number (§2.3.5.2), within the negotiated channel-max: a
 * number above it, or one more channel when that many are open, is 530 NOT_ALLOWED, as RabbitMQ
 * refuses it. Not thread-safe: the connection's event loop.
 */
final class Channels {
  private final Map<Integer, AmqpChannel> byNumber = new HashMap<>();
  private int channelMax;

  void channelMax(int channelMax) {
    this.channelMax = channelMax;
  }

  AmqpChannel get(int number) {
    return byNumber.get(number);
  }

  /** Opens channel {@code number}, which is not open. */
  AmqpChannel open(int number, ChannelHost host) {
    if (number > channelMax) {
      throw new AmqpException(
          ReplyCode.NOT_ALLOWED,
          "channel " + number + " is above the negotiated channel_max (" + channelMax + ")");
    }
    if (byNumber.size() >= channelMax) {
      throw new AmqpException(
          ReplyCode.NOT_ALLOWED,
          "number of channels opened ("
              + byNumber.size()
              + ") has reached the negotiated channel_max ("
              + channelMax
              + ")");
    }
    AmqpChannel channel = new AmqpChannel(number, host);
    byNumber.put(number, channel);
    return channel;
  }

  /** Forgets a channel that has closed, so that its number may be opened again. */
  void forgetIfClosed(AmqpChannel channel) {
    if (channel.isClosed()) {
      byNumber.remove(channel.id());
    }
  }

  /** After a read batch: lets each channel write what completed meanwhile (confirms). */
  void afterRead() {
    for (AmqpChannel channel : byNumber.values()) {
      channel.afterRead();
    }
  }

  /** Checks each channel's oldest unacknowledged delivery; hands over those that timed out. */
  void checkAcknowledgementTimeouts(
      long timeoutMillis, BiConsumer<AmqpChannel, AmqpException> timedOut) {
    long now = System.nanoTime();
    for (AmqpChannel channel : List.copyOf(byNumber.values())) {
      try {
        channel.checkAcknowledgementTimeout(now, timeoutMillis);
      } catch (AmqpException e) {
        timedOut.accept(channel, e);
      }
    }
  }

  void resumeConsumers() {
    for (AmqpChannel channel : List.copyOf(byNumber.values())) {
      channel.resumeConsumers();
    }
  }

  /** Releases and forgets every channel (the connection is closing). */
  void releaseAll() {
    List<AmqpChannel> open = new ArrayList<>(byNumber.values());
    byNumber.clear();
    for (AmqpChannel channel : open) {
      channel.release();
    }
  }
}
