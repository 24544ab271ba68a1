package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.ExchangeMethod;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.core.exchange.Binding;
import dev.tandem.core.vhost.Vhost;

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
    String owner = channel.host().owner();
    if (method instanceof ExchangeMethod.Declare m) {
      vhost.declareExchange(
          m.exchange(),
          m.type(),
          m.passive(),
          m.durable(),
          m.autoDelete(),
          m.internal(),
          FieldTables.toMap(m.arguments()));
      replyUnlessNoWait(m.noWait(), ExchangeMethod.DeclareOk.INSTANCE);
    } else if (method instanceof ExchangeMethod.Delete m) {
      vhost.deleteExchange(m.exchange(), m.ifUnused());
      replyUnlessNoWait(m.noWait(), ExchangeMethod.DeleteOk.INSTANCE);
    } else if (method instanceof ExchangeMethod.Bind m) {
      vhost.bind(binding(m.source(), m.destination(), m.routingKey(), m.arguments()), owner);
      replyUnlessNoWait(m.noWait(), ExchangeMethod.BindOk.INSTANCE);
    } else if (method instanceof ExchangeMethod.Unbind m) {
      vhost.unbind(binding(m.source(), m.destination(), m.routingKey(), m.arguments()), owner);
      replyUnlessNoWait(m.noWait(), ExchangeMethod.UnbindOk.INSTANCE);
    }
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
