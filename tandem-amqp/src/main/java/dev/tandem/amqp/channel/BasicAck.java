package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ReplyCode;
import java.util.List;

/**
 * basic.ack, basic.nack, basic.reject (§1.8.3.13-14, RabbitMQ's nack) and basic.recover /
 * recover-async: settle unacknowledged deliveries. An ack removes the message; a nack or reject
 * with requeue puts it back at its position in the queue, marked redelivered; without requeue it is
 * dead-lettered (reason rejected) if its queue has a dead-letter exchange, else dropped. Recover
 * requeues every unacknowledged delivery of the channel; recover with requeue=false is 540
 * NOT_IMPLEMENTED, as in RabbitMQ. In a transaction, acks, nacks and rejects take effect at
 * tx.commit.
 *
 * <p>Not thread-safe: the channel's event loop.
 */
final class BasicAck {
  private final AmqpChannel channel;

  BasicAck(AmqpChannel channel) {
    this.channel = channel;
  }

  void on(BasicMethod method) {
    if (method instanceof BasicMethod.Ack ack) {
      settle(ack.deliveryTag(), ack.multiple(), AmqpChannel.Settle.ACK);
    } else if (method instanceof BasicMethod.Nack nack) {
      settle(nack.deliveryTag(), nack.multiple(), outcome(nack.requeue()));
    } else if (method instanceof BasicMethod.Reject reject) {
      settle(reject.deliveryTag(), false, outcome(reject.requeue()));
    } else if (method instanceof BasicMethod.Recover recover) {
      recover(recover.requeue());
      channel.send(BasicMethod.RecoverOk.INSTANCE);
    } else if (method instanceof BasicMethod.RecoverAsync recover) {
      recover(recover.requeue());
    }
  }

  private static AmqpChannel.Settle outcome(boolean requeue) {
    return requeue ? AmqpChannel.Settle.REQUEUE : AmqpChannel.Settle.DISCARD;
  }

  private void settle(long tag, boolean multiple, AmqpChannel.Settle outcome) {
    List<Unacked> deliveries = channel.unacked().take(tag, multiple);
    if (channel.transaction().active()) {
      channel.transaction().buffer(deliveries, outcome);
    } else {
      channel.settle(deliveries, outcome);
    }
  }

  private void recover(boolean requeue) {
    if (!requeue) {
      throw new AmqpException(ReplyCode.NOT_IMPLEMENTED, "requeue=false");
    }
    channel.settle(channel.unacked().takeAll(), AmqpChannel.Settle.REQUEUE);
  }
}
