package dev.tandem.amqp.channel;

import static dev.tandem.core.user.Permission.Access.CONFIGURE;
import static dev.tandem.core.user.Permission.Access.READ;
import static dev.tandem.core.user.Permission.Access.WRITE;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.QueueMethod;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.exchange.Binding;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.vhost.Vhost;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Class {@code queue} (§1.7.2): declare, bind, unbind, purge, delete, mapped onto the vhost. An
 * empty name in declare asks for a server-named queue ({@code amq.gen-...}); in the other methods
 * it means the channel's most recently declared queue, as in RabbitMQ. Core decides the rest:
 * exclusive queues of another connection (405), inequivalent redeclaration and x-argument checks
 * (406), missing queues and exchanges (404). Not thread-safe: the channel's event loop.
 */
final class QueueMethods {
  private final AmqpChannel channel;

  QueueMethods(AmqpChannel channel) {
    this.channel = channel;
  }

  void on(QueueMethod method) {
    if (method instanceof QueueMethod.Declare m) {
      declare(m);
    } else if (method instanceof QueueMethod.Bind m) {
      changeBinding(
          m,
          binding(m.queue(), m.exchange(), m.routingKey(), m.arguments()),
          true,
          () -> replyUnlessNoWait(m.noWait(), QueueMethod.BindOk.INSTANCE));
    } else if (method instanceof QueueMethod.Unbind m) {
      changeBinding(
          m,
          binding(m.queue(), m.exchange(), m.routingKey(), m.arguments()),
          false,
          () -> channel.send(QueueMethod.UnbindOk.INSTANCE));
    } else if (method instanceof QueueMethod.Purge m) {
      String name = channel.resolveQueue(m.queue());
      channel.host().permit(READ, "queue", name);
      long purged = vhost().isStream(name) ? 0 : vhost().queue(name, owner()).purge();
      replyUnlessNoWait(m.noWait(), new QueueMethod.PurgeOk(purged));
    } else if (method instanceof QueueMethod.Delete m) {
      String name = channel.resolveQueue(m.queue());
      channel.host().permit(CONFIGURE, "queue", name);
      Vhost vhost = vhost();
      String owner = owner();
      onDisk(
          m,
          () -> vhost.deleteQueue(name, m.ifUnused(), m.ifEmpty(), owner),
          deleted -> replyUnlessNoWait(m.noWait(), new QueueMethod.DeleteOk(deleted)));
    }
  }

  private void declare(QueueMethod.Declare m) {
    String name = m.queue().isEmpty() && !m.passive() ? Names.generate("amq.gen") : m.queue();
    if (!m.passive()) {
      channel.host().permit(CONFIGURE, "queue", name);
    } else if (name.equals(DirectReplies.PSEUDO_QUEUE) || DirectReplies.isReplyQueueName(name)) {
      declareReplyQueue(m, name);
      return;
    }
    QueueOptions options =
        new QueueOptions(
            m.durable(), m.exclusive(), m.autoDelete(), FieldTables.toMap(m.arguments()));
    Vhost vhost = vhost();
    if (StreamDeclaration.isStream(options, m.passive(), vhost, name)) {
      Consumer<Topic> declared =
          stream -> {
            channel.lastQueue(name);
            int consumers = channel.host().streams().consumerCount(name);
            replyUnlessNoWait(
                m.noWait(), new QueueMethod.DeclareOk(name, stream.records(), consumers));
          };
      if (m.passive()) {
        declared.accept(vhost.declareStream(name, true, options));
      } else {
        onDisk(m, () -> vhost.declareStream(name, false, options), declared);
      }
      return;
    }
    if (!m.passive()) {
      String owner = owner();
      onDisk(m, () -> vhost.declareQueue(name, false, options, owner), queue -> declared(m, queue));
      return;
    }
    declared(m, vhost.declareQueue(name, true, options, owner()));
  }

  private void declared(QueueMethod.Declare m, Queue queue) {
    String name = queue.name();
    channel.lastQueue(name);
    replyUnlessNoWait(
        m.noWait(), new QueueMethod.DeclareOk(name, queue.messageCount(), queue.consumerCount()));
  }

  /**
   * A passive declaration of direct reply-to's pseudo-queue always succeeds, as in RabbitMQ
   * (clients probe for the feature so); that of a reply queue succeeds while its consumer is there.
   */
  private void declareReplyQueue(QueueMethod.Declare m, String name) {
    int consumers = 0;
    if (!name.equals(DirectReplies.PSEUDO_QUEUE)) {
      channel
          .host()
          .directReplies()
          .find(vhost().name(), name)
          .orElseThrow(
              () ->
                  new AmqpException(
                      ReplyCode.NOT_FOUND,
                      "no queue '" + name + "' in vhost '" + vhost().name() + "'"));
      consumers = 1;
    }
    replyUnlessNoWait(m.noWait(), new QueueMethod.DeclareOk(name, 0, consumers));
  }

  /** queue.bind or queue.unbind: checks permissions, changes the binding off the loop, replies. */
  private void changeBinding(QueueMethod m, Binding binding, boolean bind, Runnable reply) {
    permitBinding(binding);
    Vhost vhost = vhost();
    String owner = owner();
    onDisk(
        m,
        () -> {
          if (bind) {
            vhost.bind(binding, owner);
          } else {
            vhost.unbind(binding, owner);
          }
          return binding;
        },
        changed -> reply.run());
  }

  /** Runs a call into core that may wait on the disk off the event loop, then {@code then}. */
  private <T> void onDisk(QueueMethod method, Supplier<T> work, Consumer<T> then) {
    channel.host().offLoop(channel.id(), method, work, then);
  }

  /**
   * Binding needs write on the queue and read on the exchange, and on a topic exchange read on the
   * key, as in RabbitMQ.
   */
  private void permitBinding(Binding binding) {
    channel.host().permit(WRITE, "queue", binding.destination());
    channel.host().permit(READ, "exchange", binding.source());
    channel.host().permitTopic(READ, binding.source(), binding.key());
  }

  /** A binding to a queue; an empty queue and key both mean the last declared queue. */
  private Binding binding(String queue, String exchange, String key, FieldTable arguments) {
    String destination = channel.resolveQueue(queue);
    String routingKey = queue.isEmpty() && key.isEmpty() ? destination : key;
    return new Binding(exchange, destination, false, routingKey, FieldTables.toMap(arguments));
  }

  private Vhost vhost() {
    return channel.host().vhost();
  }

  private String owner() {
    return channel.host().owner();
  }

  private void replyUnlessNoWait(boolean noWait, QueueMethod reply) {
    if (!noWait) {
      channel.send(reply);
    }
  }
}
