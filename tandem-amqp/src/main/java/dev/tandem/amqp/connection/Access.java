package dev.tandem.amqp.connection;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.exchange.Exchange;
import dev.tandem.core.exchange.ExchangeType;
import dev.tandem.core.user.Permission;
import dev.tandem.core.user.TopicPermissions;
import dev.tandem.core.vhost.Vhost;

/**
 * What the user of an open connection may do in its vhost, checked as RabbitMQ checks it: the
 * configure/write/read expressions over exchange and queue names, then the topic permissions over
 * routing keys of topic exchanges; a refusal is a 403 ACCESS_REFUSED channel error in RabbitMQ's
 * words. Immutable.
 */
record Access(String user, Vhost vhost, Permission permission, TopicPermissions topics) {

  /** Checks access to the named exchange or queue; the default exchange is {@code amq.default}. */
  void permit(Permission.Access access, String kind, String name) {
    String resource = kind.equals("exchange") && name.isEmpty() ? "amq.default" : name;
    if (!permission.allows(access, resource)) {
      throw refused("access to " + kind + " '" + resource + "'");
    }
  }

  /** Checks a publish's (write) or a binding's (read) key on a topic exchange with a grant. */
  void permitTopic(Permission.Access access, String exchange, String routingKey) {
    if (topics.isEmpty()) {
      return;
    }
    Exchange target = vhost.exchange(exchange);
    if (target != null
        && target.type() == ExchangeType.TOPIC
        && !topics.allows(access, exchange, routingKey)) {
      throw refused("access to topic '" + routingKey + "' in exchange '" + exchange + "'");
    }
  }

  private AmqpException refused(String what) {
    return new AmqpException(
        ReplyCode.ACCESS_REFUSED,
        what + " in vhost '" + vhost.name() + "' refused for user '" + user + "'");
  }
}
