package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.amqp.codec.TxMethod;
import dev.tandem.core.queue.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Class {@code tx} (§1.9) as RabbitMQ applies it: after tx.select, publishes and acknowledgements
 * (ack, nack, reject) are buffered; tx.commit routes the publishes in order (returning unroutable
 * mandatory ones), then settles the acknowledgements, and answers commit-ok once every routed copy
 * is stored as a confirm would require; tx.rollback drops the publishes and puts the acknowledged
 * deliveries back among the unacknowledged. While a commit waits for storage any other method is
 * 504 CHANNEL_ERROR; a store that fails is 406 "partial tx completion". tx.select on a channel in
 * confirm mode is 406, and commit or rollback without select is 406, as in RabbitMQ.
 *
 * <p>Not thread-safe: the channel's event loop.
 */
final class Transaction {
  private record Publish(Publication publication, Message message) {}

  private record Settlement(List<Unacked> deliveries, AmqpChannel.Settle outcome) {}

  private final AmqpChannel channel;
  private final List<Publish> publishes = new ArrayList<>();
  private final List<Settlement> settlements = new ArrayList<>();
  private boolean active;
  private boolean committing;

  Transaction(AmqpChannel channel) {
    this.channel = channel;
  }

  boolean active() {
    return active;
  }

  boolean committing() {
    return committing;
  }

  void on(TxMethod method) {
    if (method instanceof TxMethod.Select) {
      if (channel.confirms().enabled()) {
        throw new AmqpException(
            ReplyCode.PRECONDITION_FAILED, "cannot switch from confirm to tx mode");
      }
      active = true;
      channel.send(TxMethod.SelectOk.INSTANCE);
    } else if (method instanceof TxMethod.Commit) {
      requireActive();
      commit();
    } else if (method instanceof TxMethod.Rollback) {
      requireActive();
      publishes.clear();
      List<Unacked> restored = new ArrayList<>();
      settlements.forEach(settlement -> restored.addAll(settlement.deliveries()));
      settlements.clear();
      channel.unacked().restore(restored);
      channel.send(TxMethod.RollbackOk.INSTANCE);
    }
  }

  void buffer(Publication publication, Message message) {
    publishes.add(new Publish(publication, message));
  }

  void buffer(List<Unacked> deliveries, AmqpChannel.Settle outcome) {
    settlements.add(new Settlement(deliveries, outcome));
  }

  private void requireActive() {
    if (!active) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "channel is not transactional");
    }
  }

  private void commit() {
    List<CompletableFuture<Void>> stored = new ArrayList<>(publishes.size());
    List<Publish> toPublish = List.copyOf(publishes);
    publishes.clear();
    for (Publish publish : toPublish) {
      stored.add(channel.publishing().route(publish.publication(), publish.message()).stored());
    }
    List<Settlement> toSettle = List.copyOf(settlements);
    settlements.clear();
    for (Settlement settlement : toSettle) {
      channel.settle(settlement.deliveries(), settlement.outcome());
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(stored.toArray(new CompletableFuture<?>[0]));
    if (all.isDone()) {
      finish(all);
      return;
    }
    committing = true;
    all.whenComplete(
        (ignored, failure) ->
            channel
                .host()
                .execute(
                    channel.id(),
                    () -> {
                      committing = false;
                      finish(all);
                    }));
  }

  private void finish(CompletableFuture<Void> stored) {
    if (stored.isCompletedExceptionally()) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "partial tx completion");
    }
    channel.send(TxMethod.CommitOk.INSTANCE);
  }

  /** The channel closed: the transaction's buffers go (their deliveries were requeued). */
  void discard() {
    publishes.clear();
    settlements.forEach(
        settlement -> channel.settle(settlement.deliveries(), AmqpChannel.Settle.REQUEUE));
    settlements.clear();
    committing = false;
  }
}
