package dev.tandem.amqp.channel;

import dev.tandem.core.queue.Queue;

/**
 * A delivery the client has not acknowledged yet.
 *
 * @param tag the channel's delivery tag
 * @param queue the queue it came from
 * @param offset its offset in that queue
 * @param consumer the consumer it went to, or null for basic.get (which prefetch does not count)
 */
record Unacked(long tag, Queue queue, long offset, ChannelConsumer consumer) {}
