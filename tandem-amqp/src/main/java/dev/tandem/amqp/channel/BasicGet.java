package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.user.Permission;

/**
 * basic.get (§1.8.3.10): the next ready message as basic.get-ok with the count of messages left, or
 * basic.get-empty. Unless no-ack, it stays unacknowledged under a delivery tag of the channel;
 * prefetch does not count it, as in RabbitMQ. On a stream queue it is 540 NOT_IMPLEMENTED, as in
 * RabbitMQ. Not thread-safe: the channel's event loop.
 */
final class BasicGet {
  private final AmqpChannel channel;

  BasicGet(AmqpChannel channel) {
    this.channel = channel;
  }

  void onGet(BasicMethod.Get m) {
    ChannelHost host = channel.host();
    String name = channel.resolveQueue(m.queue());
    host.permit(Permission.Access.READ, "queue", name);
    Queue queue = StreamConsume.classicQueueOrNull(host, name);
    if (queue == null) {
      throw StreamConsume.getRefused(host, name);
    }
    Delivery delivery = queue.get(m.noAck());
    if (delivery == null) {
      channel.send(new BasicMethod.GetEmpty(""));
      return;
    }
    long tag = channel.nextDeliveryTag();
    if (!m.noAck()) {
      channel.unacked().add(new Unacked(tag, queue, delivery.offset(), null, System.nanoTime()));
    }
    Message message = delivery.message();
    channel.sendCommand(
        new BasicMethod.GetOk(
            tag,
            delivery.redelivered(),
            message.exchange(),
            message.routingKey(),
            delivery.messageCount()),
        BareProperties.forDelivery(delivery),
        message.body());
    host.metrics().onDelivered();
  }
}
