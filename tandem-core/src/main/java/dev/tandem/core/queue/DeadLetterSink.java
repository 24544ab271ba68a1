package dev.tandem.core.queue;

/**
 * Where a queue with {@code x-dead-letter-exchange} hands the messages it drops. Called under the
 * queue's lock: implementations must not block and must not call into a queue synchronously (the
 * vhost republishes later, on another thread, so that two queues dead-lettering into each other
 * never take their locks in opposite orders).
 */
@FunctionalInterface
public interface DeadLetterSink {
  /** A sink that drops everything. */
  DeadLetterSink NONE = (queue, message, reason) -> {};

  void onDeadLettered(Queue queue, Message message, DeathReason reason);
}
