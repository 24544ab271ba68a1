package dev.tandem.amqp.connection;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.amqp.codec.ReplyCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A user name and password from the response of connection.start-ok, for the two mechanisms the
 * server offers ({@code "PLAIN AMQPLAIN"}):
 *
 * <pre>
 *   PLAIN (RFC 4616)   [authzid] NUL user NUL password      (authzid ignored, as RabbitMQ)
 *   AMQPLAIN           field-table entries without the length prefix: LOGIN, PASSWORD (long strings)
 * </pre>
 *
 * An unknown mechanism is 503 COMMAND_INVALID; a malformed response 502 SYNTAX_ERROR, as RabbitMQ
 * answers them. Immutable.
 */
record Credentials(String user, String password) {
  /** The mechanisms announced in connection.start. */
  static final String MECHANISMS = "PLAIN AMQPLAIN";

  static Credentials parse(String mechanism, LongString response) {
    return switch (mechanism) {
      case "PLAIN" -> plain(response.bytes());
      case "AMQPLAIN" -> amqplain(response.bytes());
      default ->
          throw new AmqpException(
              ReplyCode.COMMAND_INVALID, "unknown authentication mechanism '" + mechanism + "'");
    };
  }

  private static Credentials plain(byte[] response) {
    int first = indexOf(response, 0);
    int second = first < 0 ? -1 : indexOf(response, first + 1);
    if (second < 0 || indexOf(response, second + 1) >= 0) {
      throw new AmqpException(
          ReplyCode.SYNTAX_ERROR, "PLAIN response is not [authzid]\\0user\\0password");
    }
    return new Credentials(
        new String(response, first + 1, second - first - 1, StandardCharsets.UTF_8),
        new String(response, second + 1, response.length - second - 1, StandardCharsets.UTF_8));
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static Credentials amqplain(byte[] response) {
    ByteBuf table = Unpooled.buffer(4 + response.length);
    try {
      table.writeInt(response.length).writeBytes(response);
      FieldTable entries = FieldTable.read(table);
      if (entries.get("LOGIN") instanceof FieldValue.StringValue login
          && entries.get("PASSWORD") instanceof FieldValue.StringValue password) {
        return new Credentials(login.asString(), password.asString());
      }
    } catch (AmqpException | IndexOutOfBoundsException e) {
      // reported below
    } finally {
      table.release();
    }
    throw new AmqpException(
        ReplyCode.SYNTAX_ERROR, "AMQPLAIN auth info is missing LOGIN or PASSWORD field");
  }
}
