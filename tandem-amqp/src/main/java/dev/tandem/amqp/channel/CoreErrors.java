package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import dev.tandem.core.vhost.VhostException;

/** Maps core's refusals to the reply codes RabbitMQ answers them with. Stateless. */
public final class CoreErrors {
  private CoreErrors() {}

  public static AmqpException toAmqp(VhostException e) {
    ReplyCode code =
        switch (e.reason()) {
          case NOT_FOUND -> ReplyCode.NOT_FOUND;
          case PRECONDITION_FAILED -> ReplyCode.PRECONDITION_FAILED;
          case ACCESS_REFUSED -> ReplyCode.ACCESS_REFUSED;
          case RESOURCE_LOCKED -> ReplyCode.RESOURCE_LOCKED;
          case NOT_ALLOWED -> ReplyCode.NOT_ALLOWED;
          case COMMAND_INVALID -> ReplyCode.COMMAND_INVALID;
        };
    return new AmqpException(code, e.getMessage());
  }
}
