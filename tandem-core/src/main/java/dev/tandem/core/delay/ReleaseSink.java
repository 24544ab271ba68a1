package dev.tandem.core.delay;

import dev.tandem.core.queue.Message;
import java.util.concurrent.CompletableFuture;

/** Where {@link DelayedMessages} hands the messages that are due: the vhost that holds them. */
@FunctionalInterface
public interface ReleaseSink {
  /**
   * Routes or enqueues a held message that is due. Called on the data directory's timer thread with
   * no lock of the store held; must not block.
   *
   * @return completes once every copy is as safe as a publisher confirm requires, with whether the
   *     message reached a queue: false when it was dropped (target gone, routed nowhere, refused by
   *     the queue)
   */
  CompletableFuture<Boolean> onDue(DelayTarget target, Message message);
}
