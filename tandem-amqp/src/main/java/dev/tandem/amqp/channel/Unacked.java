package dev.tandem.amqp.channel;

import dev.tandem.core.queue.MessageSource;

/**
 * A delivery the client has not acknowledged yet.
 *
 * @param tag the channel's delivery tag
 * @param queue the queue or stream it came from
 * @param offset its offset in that queue
 * @param consumer the consumer it went to, or null for basic.get (which prefetch does not count)
 * @param deliveredAt when it was handed to the client, {@link System#nanoTime()}
 */
record Unacked(
    long tag, MessageSource queue, long offset, ChannelConsumer consumer, long deliveredAt) {}
