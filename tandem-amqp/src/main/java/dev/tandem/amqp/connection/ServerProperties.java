package dev.tandem.amqp.connection;

import dev.tandem.amqp.codec.FieldTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The server-properties of connection.start (§1.4.2.1): product, version, platform, and the
 * capabilities table RabbitMQ clients read. A capability is true only where Tandem implements it:
 *
 * <pre>
 *   publisher_confirms            true   confirm.select, basic.ack/nack to publishers
 *   exchange_exchange_bindings    true   exchange.bind/unbind
 *   basic.nack                    true
 *   consumer_cancel_notify        true   basic.cancel when a consumer's queue is deleted
 *   authentication_failure_close  true   connection.close 403 on a refused login
 *   per_consumer_qos              true   basic.qos global=false is per consumer
 *   consumer_priorities           true   x-priority on basic.consume
 *   connection.blocked            true   connection.blocked/unblocked on the disk alarm
 *   direct_reply_to               true   amq.rabbitmq.reply-to
 * </pre>
 *
 * Immutable.
 */
final class ServerProperties {
  private ServerProperties() {}

  static FieldTable table() {
    FieldTable capabilities =
        FieldTable.builder()
            .put("publisher_confirms", true)
            .put("exchange_exchange_bindings", true)
            .put("basic.nack", true)
            .put("consumer_cancel_notify", true)
            .put("authentication_failure_close", true)
            .put("per_consumer_qos", true)
            .put("consumer_priorities", true)
            .put("connection.blocked", true)
            .put("direct_reply_to", true)
            .build();
    return FieldTable.builder()
        .put("product", "Tandem")
        .put("version", version())
        .put("platform", "Java " + Runtime.version().feature())
        .put("information", "Tandem: AMQP 0-9-1 and Kafka over one log")
        .put("capabilities", capabilities)
        .build();
  }

  /** The build's version, from tandem-amqp.properties (filtered by Maven). */
  static String version() {
    try (InputStream in = ServerProperties.class.getResourceAsStream("/tandem-amqp.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
