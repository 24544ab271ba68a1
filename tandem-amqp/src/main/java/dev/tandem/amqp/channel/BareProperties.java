package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.Message;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content-header properties of a message core made without AMQP's encoding of them (a record
 * turned into a message by core's bare record mapping, which leaves the raw properties empty): its
 * headers become the headers table (text as longstr, integers as long, so {@code x-stream-offset}
 * reaches stream consumers as RabbitMQ sends it) and it is persistent (delivery-mode 2). A message
 * with properties of its own is sent with them untouched, at no cost. Stateless.
 */
final class BareProperties {
  private BareProperties() {}

  /** The raw properties to send for {@code message}: its own, or ones made from its headers. */
  static byte[] orOwn(Message message) {
    if (message.properties().length > 0) {
      return message.properties();
    }
    Map<String, FieldValue> headers = new LinkedHashMap<>();
    message.headers().forEach((name, value) -> headers.put(name, toField(value)));
    BasicProperties.Builder properties =
        BasicProperties.builder().deliveryMode(message.persistent() ? 2 : 1);
    if (!headers.isEmpty()) {
      properties.headers(FieldTable.of(headers));
    }
    return properties.build().toBytes();
  }

  /**
   * The raw properties to send for a delivery: {@link #orOwn}, plus {@code x-delivery-count} (long)
   * for a queue that counts returns, as RabbitMQ's quorum queues send it on every delivery.
   */
  static byte[] forDelivery(Delivery delivery) {
    byte[] raw = orOwn(delivery.message());
    if (delivery.deliveryCount() < 0) {
      return raw;
    }
    BasicProperties properties = BasicProperties.fromBytes(raw);
    Map<String, FieldValue> headers = new LinkedHashMap<>();
    if (properties.headers() != null) {
      headers.putAll(properties.headers().entries());
    }
    headers.put("x-delivery-count", FieldValue.int64(delivery.deliveryCount()));
    return properties.toBuilder().headers(FieldTable.of(headers)).build().toBytes();
  }

  private static FieldValue toField(Object value) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return FieldValue.int64(((Number) value).longValue());
    } else if (value instanceof Boolean flag) {
      return FieldValue.bool(flag);
    } else if (value instanceof byte[] bytes) {
      return new FieldValue.BytesValue(LongString.of(bytes));
    } else if (value instanceof Date date) {
      return new FieldValue.TimestampValue(date.getTime() / 1000);
    } else if (value == null) {
      return FieldValue.VoidValue.INSTANCE;
    }
    return FieldValue.string(value.toString());
  }
}
