package dev.tandem.amqp.channel;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.WireTypes;
import dev.tandem.core.queue.Message;
import dev.tandem.core.stream.RecordMapping;
import dev.tandem.core.stream.StreamRecord;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder.Header;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How an AMQP message and a topic's record map onto each other: the one place the mapping is
 * written down. A message routed into a topic becomes a record; a record routed into a queue, or
 * read by a stream consumer, becomes a message. Record headers are listed in the order they are
 * written; "" is an empty value, null a null one.
 *
 * <pre>
 * | AMQP message                       | record (headers by name)                             |
 * |------------------------------------|------------------------------------------------------|
 * | body                               | value (a null value is an empty body)                |
 * | routing key                        | key, UTF-8 ("" is no key: null)                      |
 * | content-type                       | amqp-content-type, UTF-8                             |
 * | content-encoding                   | amqp-content-encoding, UTF-8                         |
 * | headers, present but empty         | amqp-headers = ""                                    |
 * | delivery-mode                      | amqp-delivery-mode, decimal: "1", "2"                |
 * | priority                           | amqp-priority, decimal                               |
 * | correlation-id                     | amqp-correlation-id, UTF-8                           |
 * | reply-to                           | amqp-reply-to, UTF-8                                 |
 * | expiration                         | amqp-expiration, UTF-8                               |
 * | message-id                         | amqp-message-id, UTF-8                               |
 * | timestamp (seconds)                | timestamp (milliseconds) = seconds * 1000            |
 * | no timestamp                       | timestamp = now; amqp-timestamp = ""                 |
 * | timestamp outside 0 to 2^63/1000 s | timestamp = now; amqp-timestamp = seconds, decimal   |
 * | type                               | amqp-type, UTF-8                                     |
 * | user-id                            | amqp-user-id, UTF-8                                  |
 * | app-id                             | amqp-app-id, UTF-8                                   |
 * | cluster-id                         | amqp-cluster-id, UTF-8                               |
 * | header NAME, long string           | NAME = its bytes                                     |
 * | header NAME, void                  | NAME = null                                          |
 * | header NAME, any other type        | NAME = value (below), then amqp-type-NAME = its tag  |
 * | header amqp-NAME (reserved prefix) | amqp-header-amqp-NAME, then as above                 |
 * </pre>
 *
 * Application headers follow the properties, in their table order. The value of a typed header is
 * readable text where the type has one; the marker's value is the field type tag RabbitMQ's tables
 * use ({@link FieldValue}):
 *
 * <pre>
 * | tag           | AMQP type                       | record header value                        |
 * |---------------|---------------------------------|--------------------------------------------|
 * | t             | boolean                         | true, false                                |
 * | b B s u I i l | signed and unsigned integers    | decimal: -42                               |
 * | f d           | float, double                   | Java's toString: 1.5, -0.0, 1.0E-5, NaN    |
 * | D             | decimal                         | plain decimal, scale kept: 12.50           |
 * | T             | timestamp                       | decimal seconds since the epoch            |
 * | x             | byte array                      | the bytes                                  |
 * | F             | table                           | wire encoding: u32 length, entries         |
 * | A             | array                           | wire encoding: u32 length, tagged values   |
 * </pre>
 *
 * <p>A record becomes a message by the same table read backwards, whoever wrote it (a Kafka
 * producer writes plain headers, so its headers arrive as long strings). Headers are read in order:
 *
 * <ul>
 *   <li>A property header becomes its property; one whose value that property cannot hold
 *       (delivery-mode or priority not a decimal 0 to 255, text not UTF-8 or over 255 bytes), or
 *       that repeats one already read, stays an application header of that name, a long string.
 *   <li>{@code amqp-timestamp} = "" (or null): no timestamp; = decimal seconds: that timestamp;
 *       anything else stays an application header. Without it the timestamp is the record's
 *       timestamp / 1000, rounded down; none if the record's is negative (Kafka's "none", -1).
 *   <li>A header followed by {@code amqp-type-NAME} whose value is a tag (S long string and V void
 *       included) has that type. If its value does not parse as that type, both stay long strings.
 *       A marker anywhere else is an ordinary header.
 *   <li>{@code amqp-header-NAME} is the application header NAME; any other header, {@code amqp-} or
 *       not, is an application header of its own name: a long string of its bytes, or void for a
 *       null value. Of a name that repeats, the first wins; a name over 255 UTF-8 bytes, which no
 *       AMQP table can hold, is dropped.
 *   <li>The message is published to the exchange named as the topic; persistent unless
 *       delivery-mode is 1; it expires {@code expiration} milliseconds from now if that is valid
 *       for basic.publish; its priority (for queues with x-max-priority) is {@code amqp-priority},
 *       0 without one; its headers are decoded for headers-exchange routing. A routing key is a
 *       short string: a key over 255 bytes of UTF-8 is cut to the code points that fit.
 *   <li>A stream consumer's delivery also gets the header {@code x-stream-offset} (long) = the
 *       record's offset, as RabbitMQ's streams add it, replacing one already there.
 * </ul>
 *
 * <p>A message that crosses into a topic and back has the same properties and headers, byte for
 * byte, except where decoding the properties already normalizes them: the 'L' tag is written back
 * as 'l', a repeated table name keeps its first value, and a NaN (float or double) comes back as
 * Java's one NaN, without its payload bits. An x-stream-offset header (and x-stream-partition, for
 * a topic of several partitions) added for a stream consumer is part of that delivery, not of the
 * mapping. No record content makes the mapping throw; property bytes that do not decode (a message
 * never has them) count as no properties.
 *
 * <p>Stateless and thread-safe.
 */
public final class RecordProperties implements RecordMapping {
  static final String PREFIX = "amqp-";
  static final String CONTENT_TYPE = "amqp-content-type";
  static final String CONTENT_ENCODING = "amqp-content-encoding";
  static final String HEADERS = "amqp-headers";
  static final String DELIVERY_MODE = "amqp-delivery-mode";
  static final String PRIORITY = "amqp-priority";
  static final String CORRELATION_ID = "amqp-correlation-id";
  static final String REPLY_TO = "amqp-reply-to";
  static final String EXPIRATION = "amqp-expiration";
  static final String MESSAGE_ID = "amqp-message-id";
  static final String TIMESTAMP = "amqp-timestamp";
  static final String TYPE = "amqp-type";
  static final String USER_ID = "amqp-user-id";
  static final String APP_ID = "amqp-app-id";
  static final String CLUSTER_ID = "amqp-cluster-id";

  /** Before the name of a typed header: the marker header that gives its type. */
  static final String TYPE_MARKER = "amqp-type-";

  /** Before the name of an application header whose own name starts with {@link #PREFIX}. */
  static final String ESCAPED = "amqp-header-";

  /** The header RabbitMQ adds to a message delivered from a stream. */
  static final String STREAM_OFFSET = "x-stream-offset";

  /** The header Tandem adds to a delivery from a stream of more than one partition. */
  static final String STREAM_PARTITION = "x-stream-partition";

  /** The largest timestamp, in seconds, whose milliseconds fit a record timestamp. */
  static final long MAX_SECONDS = Long.MAX_VALUE / 1000;

  static final byte[] EMPTY = new byte[0];

  @Override
  public StreamRecord toRecord(Message message, long nowMillis) {
    BasicProperties properties = decode(message.properties());
    FieldTable table = properties.headers();
    List<Header> headers = new ArrayList<>(table == null ? 2 : 2 + 2 * table.size());
    text(headers, CONTENT_TYPE, properties.contentType());
    text(headers, CONTENT_ENCODING, properties.contentEncoding());
    if (table != null && table.isEmpty()) {
      headers.add(new Header(HEADERS, EMPTY));
    }
    octet(headers, DELIVERY_MODE, properties.deliveryMode());
    octet(headers, PRIORITY, properties.priority());
    text(headers, CORRELATION_ID, properties.correlationId());
    text(headers, REPLY_TO, properties.replyTo());
    text(headers, EXPIRATION, properties.expiration());
    text(headers, MESSAGE_ID, properties.messageId());
    long timestamp = timestamp(headers, properties.timestamp(), nowMillis);
    text(headers, TYPE, properties.type());
    text(headers, USER_ID, properties.userId());
    text(headers, APP_ID, properties.appId());
    text(headers, CLUSTER_ID, properties.clusterId());
    if (table != null) {
      for (Map.Entry<String, FieldValue> header : table.entries().entrySet()) {
        application(headers, header.getKey(), header.getValue());
      }
    }
    byte[] key = message.routingKey().isEmpty() ? null : message.routingKey().getBytes(UTF_8);
    byte[] value = message.body() == null ? EMPTY : message.body();
    return new StreamRecord(key, value, headers, timestamp);
  }

  @Override
  public Message toMessage(String topic, LogRecord record, long streamOffset, int streamPartition) {
    RecordHeaders read = RecordHeaders.read(record.headers());
    Map<String, FieldValue> table = read.applicationHeaders();
    if (streamOffset >= 0) {
      table.put(STREAM_OFFSET, new FieldValue.LongValue(streamOffset));
    }
    if (streamPartition >= 0) {
      table.put(STREAM_PARTITION, new FieldValue.LongValue(streamPartition));
    }
    FieldTable headers = table.isEmpty() && !read.hasHeaders() ? null : FieldTable.of(table);
    BasicProperties properties = read.properties(headers, record.timestamp());
    return new Message(
        topic,
        routingKey(record.key()),
        properties.toBytes(),
        FieldTables.toMap(headers),
        record.value() == null ? EMPTY : record.value(),
        !Integer.valueOf(1).equals(properties.deliveryMode()),
        BasicPublish.expiresAtIfValid(properties.expiration(), System.currentTimeMillis()),
        BasicPublish.priority(properties.priority()));
  }

  private static void text(List<Header> headers, String name, String value) {
    if (value != null) {
      headers.add(new Header(name, value.getBytes(UTF_8)));
    }
  }

  private static void octet(List<Header> headers, String name, Integer value) {
    if (value != null) {
      headers.add(new Header(name, Integer.toString(value).getBytes(US_ASCII)));
    }
  }

  /** The record timestamp; a header for a timestamp that is absent or does not fit one. */
  private static long timestamp(List<Header> headers, Long seconds, long nowMillis) {
    if (seconds == null) {
      headers.add(new Header(TIMESTAMP, EMPTY));
      return nowMillis;
    }
    if (seconds >= 0 && seconds <= MAX_SECONDS) {
      return seconds * 1000;
    }
    headers.add(new Header(TIMESTAMP, Long.toString(seconds).getBytes(US_ASCII)));
    return nowMillis;
  }

  /** An application header: its value, then its type marker if it has one. */
  private static void application(List<Header> headers, String name, FieldValue value) {
    String recordName = name.startsWith(PREFIX) ? ESCAPED + name : name;
    headers.add(new Header(recordName, RecordHeaderValue.bytes(value)));
    if (RecordHeaderValue.needsMarker(value)) {
      headers.add(new Header(TYPE_MARKER + name, RecordHeaderValue.marker(value.tag())));
    }
  }

  /** The routing key of a record key: its UTF-8 text, cut to what a short string holds. */
  static String routingKey(byte[] key) {
    if (key == null || key.length == 0) {
      return "";
    }
    String text = new String(key, UTF_8);
    // Each byte decodes to at most one char, of at most 3 UTF-8 bytes.
    if (key.length * 3 <= WireTypes.MAX_SHORT_STRING
        || ByteBufUtil.utf8Bytes(text) <= WireTypes.MAX_SHORT_STRING) {
      return text;
    }
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int codePoint = text.codePointAt(end);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > WireTypes.MAX_SHORT_STRING) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return text.substring(0, end);
  }

  private static BasicProperties decode(byte[] raw) {
    try {
      return BasicProperties.fromBytes(raw);
    } catch (AmqpException e) {
      return BasicProperties.EMPTY;
    }
  }
}
