package dev.tandem.core.queue;

import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a queued {@link Message} is stored as a record of the queue's log:
 *
 * <pre>
 *   key       routing key, UTF-8
 *   value     body
 *   headers   x-amqp-exchange     exchange name, UTF-8
 *             x-amqp-properties   the protocol's encoded properties
 *             x-amqp-persistent   one byte, 1 or 0
 *             x-amqp-expires-at   8 bytes, epoch milliseconds (only for a message that expires)
 *             x-amqp-priority     one byte, unsigned (only for a priority above 0)
 *             ...                 headers of the record's owner, after these (ignored here)
 * </pre>
 *
 * Other logs of messages (held delayed messages) use the same layout, with headers of their own.
 * Stateless.
 */
public final class MessageRecord {
  static final String EXCHANGE = "x-amqp-exchange";
  static final String PROPERTIES = "x-amqp-properties";
  static final String PERSISTENT = "x-amqp-persistent";
  static final String EXPIRES_AT = "x-amqp-expires-at";
  static final String PRIORITY = "x-amqp-priority";
  private static final byte[] YES = {1};
  private static final byte[] NO = {0};

  private MessageRecord() {}

  static ByteBuffer encode(Message message, long timestamp) {
    return encode(message, timestamp, List.of());
  }

  /**
   * A batch of one record holding the message, with {@code extra} headers after its own. The
   * message's decoded {@code headers} are not stored.
   */
  public static ByteBuffer encode(
      Message message, long timestamp, List<RecordBatchBuilder.Header> extra) {
    List<RecordBatchBuilder.Header> headers = headers(message);
    if (!extra.isEmpty()) {
      headers = new ArrayList<>(headers);
      headers.addAll(extra);
    }
    return new RecordBatchBuilder(timestamp, message.body().length + 128)
        .append(
            timestamp,
            message.routingKey().getBytes(StandardCharsets.UTF_8),
            message.body(),
            headers)
        .build();
  }

  private static List<RecordBatchBuilder.Header> headers(Message message) {
    RecordBatchBuilder.Header exchange =
        new RecordBatchBuilder.Header(
            EXCHANGE, message.exchange().getBytes(StandardCharsets.UTF_8));
    RecordBatchBuilder.Header properties =
        new RecordBatchBuilder.Header(PROPERTIES, message.properties());
    RecordBatchBuilder.Header persistent =
        new RecordBatchBuilder.Header(PERSISTENT, message.persistent() ? YES : NO);
    if (message.expiresAt() == 0 && message.priority() == 0) {
      return List.of(exchange, properties, persistent);
    }
    List<RecordBatchBuilder.Header> headers = new ArrayList<>(5);
    headers.add(exchange);
    headers.add(properties);
    headers.add(persistent);
    if (message.expiresAt() != 0) {
      byte[] expiresAt = ByteBuffer.allocate(8).putLong(message.expiresAt()).array();
      headers.add(new RecordBatchBuilder.Header(EXPIRES_AT, expiresAt));
    }
    if (message.priority() != 0) {
      headers.add(new RecordBatchBuilder.Header(PRIORITY, new byte[] {(byte) message.priority()}));
    }
    return headers;
  }

  /**
   * Encodes one publish for the several queues it reaches (a fanout): the first queue encodes it,
   * the others copy those bytes, while the message and the timestamp are the same ones (a queue's
   * TTL makes a message of its own). Not thread-safe: one per publish.
   */
  public static final class Shared {
    private Message message;
    private long timestamp;
    private byte[] bytes;

    ByteBuffer encode(Message encoded, long at) {
      if (encoded == message && at == timestamp) {
        return ByteBuffer.wrap(bytes.clone());
      }
      ByteBuffer batch = MessageRecord.encode(encoded, at);
      int start = batch.arrayOffset() + batch.position();
      bytes = Arrays.copyOfRange(batch.array(), start, start + batch.remaining());
      message = encoded;
      timestamp = at;
      return batch;
    }
  }

  /** The message a record holds, with no decoded headers; headers it does not know are skipped. */
  public static Message decode(LogRecord record) {
    String exchange = "";
    byte[] properties = new byte[0];
    boolean persistent = false;
    long expiresAt = 0;
    int priority = 0;
    for (RecordBatchBuilder.Header header : record.headers()) {
      switch (header.key()) {
        case EXCHANGE -> exchange = new String(header.value(), StandardCharsets.UTF_8);
        case PROPERTIES -> properties = header.value();
        case PERSISTENT ->
            persistent =
                header.value() != null && header.value().length == 1 && header.value()[0] == 1;
        case EXPIRES_AT ->
            expiresAt =
                header.value() != null && header.value().length == 8
                    ? ByteBuffer.wrap(header.value()).getLong()
                    : 0;
        case PRIORITY ->
            priority =
                header.value() != null && header.value().length == 1 ? header.value()[0] & 0xFF : 0;
        default -> {}
      }
    }
    String routingKey =
        record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    byte[] body = record.value() == null ? new byte[0] : record.value();
    return new Message(
        exchange, routingKey, properties, Map.of(), body, persistent, expiresAt, priority);
  }
}
