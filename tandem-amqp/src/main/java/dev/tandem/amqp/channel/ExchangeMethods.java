package dev.tandem.amqp.channel;

import static dev.tandem.core.user.Permission.Access.CONFIGURE;
import static dev.tandem.core.user.Permission.Access.READ;
import static dev.tandem.core.user.Permission.Access.WRITE;

import dev.tandem.amqp.codec.ExchangeMethod;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.core.exchange.Binding;
import dev.tandem.core.exchange.Exchange;
import dev.tandem.core.vhost.Vhost;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Class {@code exchange} (§1.6.2): declare, delete, and RabbitMQ's exchange-to-exchange bind and
 * unbind, mapped onto the vhost. Core decides: an unknown type is 503 COMMAND_INVALID, an
 * inequivalent redeclaration 406, a new {@code amq.*} name or the default exchange 403, a missing
 * exchange 404, if-unused on a bound exchange 406. Not thread-safe: the channel's event loop.
 */
final class ExchangeMethods {
  private final AmqpChannel channel;

  ExchangeMethods(AmqpChannel channel) {
    this.channel = channel;
  }

  void on(ExchangeMethod method) {
    Vhost vhost = channel.host().vhost();
    if (method instanceof ExchangeMethod.Declare m) {
      if (!m.passive()) {
        channel.host().permit(CONFIGURE, "exchange", m.exchange());
      }
      Supplier<Exchange> declare =
          () ->
              vhost.declareExchange(
                  m.exchange(),
                  m.type(),
                  m.passive(),
                  m.durable(),
                  m.autoDelete(),
                  m.internal(),
                  FieldTables.toMap(m.arguments()));
      if (m.passive()) {
        declare.get();
        replyUnlessNoWait(m.noWait(), ExchangeMethod.DeclareOk.INSTANCE);
      } else {
        onDisk(
            m,
            declare,
            declared -> replyUnlessNoWait(m.noWait(), ExchangeMethod.DeclareOk.INSTANCE));
      }
    } else if (method instanceof ExchangeMethod.Delete m) {
      channel.host().permit(CONFIGURE, "exchange", m.exchange());
      onDisk(
          m,
          () -> {
            vhost.deleteExchange(m.exchange(), m.ifUnused());
            return m;
          },
          deleted -> replyUnlessNoWait(m.noWait(), ExchangeMethod.DeleteOk.INSTANCE));
    } else if (method instanceof ExchangeMethod.Bind m) {
      changeBinding(
          m,
          binding(m.source(), m.destination(), m.routingKey(), m.arguments()),
          true,
          ExchangeMethod.BindOk.INSTANCE,
          m.noWait());
    } else if (method instanceof ExchangeMethod.Unbind m) {
      changeBinding(
          m,
          binding(m.source(), m.destination(), m.routingKey(), m.arguments()),
          false,
          ExchangeMethod.UnbindOk.INSTANCE,
          m.noWait());
    }
  }

  /** exchange.bind or exchange.unbind: checks permissions, changes the binding off the loop. */
  private void changeBinding(
      ExchangeMethod m, Binding binding, boolean bind, ExchangeMethod reply, boolean noWait) {
    permitBinding(binding.source(), binding.destination(), binding.key());
    Vhost vhost = channel.host().vhost();
    String owner = channel.host().owner();
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
        changed -> replyUnlessNoWait(noWait, reply));
  }

  /** Runs a call into core that may wait on the disk off the event loop, then {@code then}. */
  private <T> void onDisk(ExchangeMethod method, Supplier<T> work, Consumer<T> then) {
    channel.host().offLoop(channel.id(), method, work, then);
  }

  /**
   * Binding needs write on the destination and read on the source, and on a topic source read on
   * the key, as in RabbitMQ.
   */
  private void permitBinding(String source, String destination, String key) {
    channel.host().permit(WRITE, "exchange", destination);
    channel.host().permit(READ, "exchange", source);
    channel.host().permitTopic(READ, source, key);
  }

  private static Binding binding(
      String source, String destination, String key, FieldTable arguments) {
    return new Binding(source, destination, true, key, FieldTables.toMap(arguments));
  }

  private void replyUnlessNoWait(boolean noWait, ExchangeMethod reply) {
    if (!noWait) {
      channel.send(reply);
    }
  }
}
