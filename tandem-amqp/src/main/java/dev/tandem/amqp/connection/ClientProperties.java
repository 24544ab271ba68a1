package dev.tandem.amqp.connection;

import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;

/**
 * What the server uses of the client-properties of connection.start-ok: the capabilities the client
 * announced, and its name for logs. Immutable.
 *
 * @param consumerCancelNotify the client accepts basic.cancel from the server
 * @param authenticationFailureClose the client expects connection.close 403 on a refused login
 *     (without it the socket is just closed, as RabbitMQ does)
 * @param connectionBlocked the client takes connection.blocked and connection.unblocked
 * @param product the client's product and version, for logs
 */
record ClientProperties(
    boolean consumerCancelNotify,
    boolean authenticationFailureClose,
    boolean connectionBlocked,
    String product) {

  static final ClientProperties NONE = new ClientProperties(false, false, false, "unknown");

  static ClientProperties of(FieldTable table) {
    FieldTable capabilities =
        table.get("capabilities") instanceof FieldValue.TableValue t ? t.value() : FieldTable.EMPTY;
    return new ClientProperties(
        isTrue(capabilities, "consumer_cancel_notify"),
        isTrue(capabilities, "authentication_failure_close"),
        isTrue(capabilities, "connection.blocked"),
        text(table, "product") + " " + text(table, "version"));
  }

  private static boolean isTrue(FieldTable table, String name) {
    return table.get(name) instanceof FieldValue.BooleanValue b && b.value();
  }

  private static String text(FieldTable table, String name) {
    return table.get(name) instanceof FieldValue.StringValue s ? s.asString() : "?";
  }
}
