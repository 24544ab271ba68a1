package dev.tandem.core.vhost;

import dev.tandem.core.queue.DeadLetterSink;
import dev.tandem.core.queue.DeathReason;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.Queue;
import dev.tandem.storage.log.LogScheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Dead-lettering of one vhost, as RabbitMQ does it for classic queues: a queue with {@code
 * x-dead-letter-exchange} hands over the messages it rejects, expires or drops for length; they are
 * rewritten by the protocol's {@link DeadLetterRewriter} and republished to the dead-letter
 * exchange with {@code x-dead-letter-routing-key}, or their own routing key and CC keys. A message
 * routed nowhere, or to a missing exchange, is dropped. Cycles are dropped as RabbitMQ drops them:
 * unless the reason is a rejection, a target queue that already appears in the message's {@code
 * x-death} with no rejection between is left out.
 *
 * <p>Messages are handed over under the dropping queue's lock and republished later, in order, on
 * the data directory's timer thread, so no queue lock is ever held while another is taken. At most
 * once, as RabbitMQ's default: the message has left its queue before it reaches the next.
 *
 * <p>Thread-safe.
 */
final class DeadLetters implements DeadLetterSink {
  private final Vhost vhost;
  private final LogScheduler scheduler;
  private final Supplier<DeadLetterRewriter> rewriter;
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();

  private record Pending(Queue queue, Message message, DeathReason reason, long timeMillis) {}

  DeadLetters(Vhost vhost, LogScheduler scheduler, Supplier<DeadLetterRewriter> rewriter) {
    this.vhost = vhost;
    this.scheduler = scheduler;
    this.rewriter = rewriter;
  }

  @Override
  public void onDeadLettered(Queue queue, Message message, DeathReason reason) {
    pending.add(new Pending(queue, message, reason, System.currentTimeMillis()));
    if (drainScheduled.compareAndSet(false, true)) {
      scheduler.schedule(this::drain, 0);
    }
  }

  /** Dead letters routed nowhere or dropped as cycles. */
  long dropped() {
    return dropped.get();
  }

  private void drain() {
    drainScheduled.set(false);
    Pending next;
    while ((next = pending.poll()) != null) {
      republish(next);
    }
  }

  private void republish(Pending dead) {
    Map<String, Object> args = dead.queue().arguments();
    String exchange = (String) args.get("x-dead-letter-exchange");
    Object key = args.get("x-dead-letter-routing-key");
    String routingKey = key instanceof String k ? k : dead.message().routingKey();
    Message message =
        rewriter
            .get()
            .rewrite(
                dead.message(),
                new DeadLetterRewriter.DeadLetter(
                    dead.queue().name(),
                    dead.reason(),
                    exchange,
                    routingKey,
                    key instanceof String,
                    dead.timeMillis()));
    Targets targets = vhost.targets(exchange, message);
    if (dead.reason() != DeathReason.REJECTED) {
      targets.queues.removeIf(queue -> isCycle(queue.name(), message.headers().get("x-death")));
    }
    if (targets.isEmpty()) {
      dropped.incrementAndGet();
    } else {
      vhost.store(targets, message);
    }
  }

  /**
   * Whether dead-lettering into {@code queue} closes a fully automatic cycle: the queue appears in
   * {@code x-death} (most recent first, the new death included) with no rejection up to and
   * including its entry, and nothing a client could have put there.
   */
  static boolean isCycle(String queue, Object deaths) {
    if (!(deaths instanceof List<?> entries)) {
      return false;
    }
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> death)
          || DeathReason.REJECTED.wireName().equals(death.get("reason"))) {
        return false;
      }
      if (queue.equals(death.get("queue"))) {
        return true;
      }
    }
    return false;
  }
}
