package dev.tandem.amqp.channel;

import dev.tandem.amqp.AmqpMetrics;
import dev.tandem.amqp.AmqpSettings;
import dev.tandem.amqp.codec.AmqpMethod;
import dev.tandem.core.stream.StreamReaders;
import dev.tandem.core.user.Permission;
import dev.tandem.core.vhost.Vhost;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a channel needs from the connection it runs on: the vhost and identity the connection opened
 * with, and a way to write frames and to get back onto the connection's event loop.
 *
 * <p>{@link #execute} may be called from any thread; every other method only on the connection's
 * event loop, except {@link #isWritable()} and {@link #backlog()}, which are thread-safe.
 */
public interface ChannelHost {
  Vhost vhost();

  /** Where consumers of stream queues get their readers. */
  StreamReaders streams();

  /** Identifies the connection as the owner of its exclusive queues. */
  String owner();

  /** The user the connection authenticated as. */
  String user();

  AmqpSettings settings();

  AmqpMetrics metrics();

  /** Whether the client announced the consumer_cancel_notify capability. */
  boolean consumerCancelNotify();

  /** Writes a method frame; flushed at the end of the read batch or task. */
  void send(int channel, AmqpMethod method);

  /** Writes a content-bearing method with raw properties and a body; neither array is copied. */
  void sendCommand(int channel, AmqpMethod method, byte[] rawProperties, byte[] body);

  /**
   * Runs a task on the connection's event loop, inside the connection's error boundary, and flushes
   * what it wrote. Thread-safe; tasks run in the order they were submitted.
   */
  void execute(int channel, Runnable task);

  /**
   * Stops reading from this connection's socket until {@code until} completes or a bounded time
   * passed: publisher flow control, when a queue it publishes to is congested. Event loop.
   */
  void holdBackPublisher(CompletableFuture<Void> until);

  /**
   * Checks that the user may have this access to the named exchange or queue ({@code kind}) in the
   * connection's vhost, as RabbitMQ's permissions grant it; else a 403 ACCESS_REFUSED channel
   * error. The default exchange is {@code amq.default} here, as in RabbitMQ. Event loop.
   */
  void permit(Permission.Access access, String kind, String name);

  /**
   * Checks the user's topic permissions (RabbitMQ's topic authorisation): write to publish with
   * this routing key to a topic exchange, read to bind to one with this key; else a 403
   * ACCESS_REFUSED channel error. Other exchanges are not restricted. Event loop.
   */
  void permitTopic(Permission.Access access, String exchange, String routingKey);

  /**
   * Runs {@code work}, a call into core that may wait on the disk (a durable definition's fsync, a
   * queue's logs), off the event loop, then {@code then} with its result back on the loop. What the
   * connection reads meanwhile waits, so its methods still take effect in order. A failure of the
   * work, or of {@code then}, is {@code method}'s error on {@code channel}. Event loop.
   */
  <T> void offLoop(int channel, AmqpMethod method, Supplier<T> work, Consumer<T> then);

  /** The direct reply-to consumers of the listener (amq.rabbitmq.reply-to). */
  DirectReplies directReplies();

  /** Whether the socket takes more writes now (Netty's writability). Thread-safe. */
  boolean isWritable();

  /** Deliveries handed to the event loop and not yet written. Thread-safe. */
  DeliveryBacklog backlog();
}
