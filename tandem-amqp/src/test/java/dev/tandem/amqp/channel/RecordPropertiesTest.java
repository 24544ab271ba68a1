package dev.tandem.amqp.channel;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.core.queue.Message;
import dev.tandem.core.stream.StreamRecord;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;

/**
 * The mapping between AMQP messages and records, case by case as {@link RecordProperties} writes it
 * down; {@link RecordPropertiesPropertyTest} checks it on random input.
 */
class RecordPropertiesTest {
  static final long NOW = 1_750_000_000_123L;

  private final RecordProperties mapping = new RecordProperties();

  @Example
  void shouldBringBackEveryPropertyAndEveryHeaderTypeAfterCrossingIntoATopicAndBack() {
    BasicProperties sent = everyProperty();
    Message message = message(sent, "orders.eu", "body".getBytes(UTF_8));

    Message back = roundTrip(mapping, message);

    assertThat(back.properties()).isEqualTo(message.properties());
    assertThat(decode(back.properties())).isEqualTo(sent);
    assertThat(back.routingKey()).isEqualTo("orders.eu");
    assertThat(back.body()).isEqualTo(message.body());
    assertThat(back.persistent()).isTrue();
    assertThat(back.headers())
        .usingRecursiveComparison()
        .withEqualsForType(Double::equals, Double.class)
        .isEqualTo(message.headers());
  }

  @Example
  void shouldWriteEachPropertyAndHeaderAsTheMappingTableSays() {
    FieldTable headers =
        FieldTable.builder()
            .put("trace", "abc")
            .put("count", FieldValue.int32(42))
            .put("ratio", new FieldValue.DoubleValue(1.5))
            .put("ok", true)
            .put("price", new FieldValue.DecimalValue(2, 1250))
            .put("sent", new FieldValue.TimestampValue(1_700_000_000L))
            .put("raw", new FieldValue.BytesValue(LongString.of(new byte[] {0, -1})))
            .put("none", FieldValue.VoidValue.INSTANCE)
            .put("amqp-x", "y")
            .build();
    BasicProperties sent =
        BasicProperties.builder()
            .contentType("text/plain")
            .headers(headers)
            .deliveryMode(2)
            .priority(5)
            .correlationId("c-1")
            .timestamp(1_700_000_000L)
            .appId("shop")
            .build();

    StreamRecord record = mapping.toRecord(message(sent, "orders.eu", new byte[] {1}), NOW);

    assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(record.key()).isEqualTo("orders.eu".getBytes(UTF_8));
    assertThat(record.value()).containsExactly(1);
    assertThat(texts(record.headers()))
        .containsExactly(
            "amqp-content-type=text/plain",
            "amqp-delivery-mode=2",
            "amqp-priority=5",
            "amqp-correlation-id=c-1",
            "amqp-app-id=shop",
            "trace=abc",
            "count=42",
            "amqp-type-count=I",
            "ratio=1.5",
            "amqp-type-ratio=d",
            "ok=true",
            "amqp-type-ok=t",
            "price=12.50",
            "amqp-type-price=D",
            "sent=1700000000",
            "amqp-type-sent=T",
            "raw=\u0000\u00ff",
            "amqp-type-raw=x",
            "none (null)",
            "amqp-header-amqp-x=y");
  }

  @Example
  void shouldWriteTablesAndArraysAsTheirWireEncodingWithoutTheTag() {
    FieldTable nested = FieldTable.builder().put("a", 1).build();
    FieldValue array = FieldValue.array(FieldValue.string("s"), FieldValue.bool(false));
    BasicProperties sent =
        BasicProperties.builder()
            .headers(FieldTable.builder().put("table", nested).put("array", array).build())
            .build();

    List<Header> headers = mapping.toRecord(message(sent, "", new byte[0]), NOW).headers();

    assertThat(value(headers, "table")).isEqualTo(wire(FieldValue.table(nested)));
    assertThat(value(headers, "amqp-type-table")).isEqualTo(new byte[] {'F'});
    assertThat(value(headers, "array")).isEqualTo(wire(array));
    assertThat(value(headers, "amqp-type-array")).isEqualTo(new byte[] {'A'});
  }

  @Example
  void shouldReadARecordAsAKafkaProducerWritesIt() throws IOException {
    LogRecord record =
        new LogRecord(
            7,
            1_700_000_000_999L,
            null,
            "v".getBytes(UTF_8),
            List.of(header("trace-id", "abc"), new Header("flag", null), header("count", "7")));

    Message message = mapping.toMessage("orders", record);

    assertThat(message.exchange()).isEqualTo("orders");
    assertThat(message.routingKey()).isEmpty();
    assertThat(message.body()).isEqualTo("v".getBytes(UTF_8));
    assertThat(message.persistent()).isTrue();
    assertThat(message.expiresAt()).isZero();
    assertThat(message.priority()).isZero();
    assertThat(decode(message.properties()))
        .isEqualTo(
            BasicProperties.builder()
                .timestamp(1_700_000_000L)
                .headers(
                    FieldTable.builder()
                        .put("trace-id", "abc")
                        .put("flag", FieldValue.VoidValue.INSTANCE)
                        .put("count", "7")
                        .build())
                .build());
    assertThat(message.headers()).containsOnlyKeys("trace-id", "flag", "count");
    assertThat(message.headers()).containsEntry("trace-id", "abc").containsEntry("flag", null);

    AMQP.BasicProperties client = readByTheJavaClient(message.properties());
    assertThat(client.getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
    assertThat(client.getHeaders().get("trace-id")).hasToString("abc");
    assertThat(client.getHeaders().get("count")).hasToString("7");
    assertThat(client.getHeaders()).containsEntry("flag", null);
    assertThat(client.getDeliveryMode()).isNull();
  }

  @Example
  void shouldMapAnEmptyBodyToAnEmptyValueAndANullValueToAnEmptyBody() {
    StreamRecord record = mapping.toRecord(message(BasicProperties.EMPTY, "", new byte[0]), NOW);
    Message message = mapping.toMessage("t", new LogRecord(0, NOW, null, null, List.of()));

    assertThat(record.value()).isNotNull().isEmpty();
    assertThat(record.key()).isNull();
    assertThat(message.body()).isNotNull().isEmpty();
    assertThat(message.routingKey()).isEmpty();
  }

  @Example
  void shouldMarkAMessageWithoutTimestampSoThatItComesBackWithoutOne() {
    Message message = message(BasicProperties.builder().appId("a").build(), "k", new byte[0]);

    StreamRecord record = mapping.toRecord(message, NOW);
    Message back = mapping.toMessage("t", logRecord(record, 0));

    assertThat(record.timestamp()).isEqualTo(NOW);
    assertThat(value(record.headers(), "amqp-timestamp")).isNotNull().isEmpty();
    assertThat(decode(back.properties()).timestamp()).isNull();
    assertThat(back.properties()).isEqualTo(message.properties());
  }

  @Example
  void shouldTakeTheTimestampFromTheRecordInWholeSeconds() {
    assertThat(timestampOf(new LogRecord(0, 1_999, null, null, List.of()))).isEqualTo(1L);
    assertThat(timestampOf(new LogRecord(0, 0, null, null, List.of()))).isEqualTo(0L);
  }

  @Example
  void shouldGiveNoTimestampForARecordWithoutOne() {
    assertThat(timestampOf(new LogRecord(0, -1, null, null, List.of()))).isNull();
  }

  @Example
  void shouldCarryATimestampThatNoRecordTimestampCanHoldInTheMarker() {
    for (long seconds : new long[] {-5, Long.MIN_VALUE, RecordProperties.MAX_SECONDS + 1}) {
      BasicProperties sent = BasicProperties.builder().timestamp(seconds).build();
      Message message = message(sent, "", new byte[0]);

      StreamRecord record = mapping.toRecord(message, NOW);

      assertThat(record.timestamp()).isEqualTo(NOW);
      assertThat(texts(record.headers())).containsExactly("amqp-timestamp=" + seconds);
      assertThat(roundTrip(mapping, message).properties()).isEqualTo(message.properties());
    }
  }

  @Example
  void shouldTakeTheTimestampFromADecimalMarkerOverTheRecords() {
    LogRecord record = new LogRecord(0, NOW, null, null, List.of(header("amqp-timestamp", "12")));

    assertThat(timestampOf(record)).isEqualTo(12L);
  }

  @Example
  void shouldTypeAHeaderByTheMarkerThatFollowsIt() {
    FieldTable headers = headersOf(header("n", "42"), header("amqp-type-n", "I"), header("m", "4"));

    assertThat(headers.get("n")).isEqualTo(FieldValue.int32(42));
    assertThat(headers.get("m")).isEqualTo(FieldValue.string("4"));
    assertThat(headers.size()).isEqualTo(2);
  }

  @Example
  void shouldKeepBothHeadersAsLongStringsWhenTheValueIsNotOfTheMarkedType() {
    FieldTable headers = headersOf(header("n", "forty"), header("amqp-type-n", "I"));

    assertThat(headers.entries())
        .containsExactly(
            Map.entry("n", FieldValue.string("forty")),
            Map.entry("amqp-type-n", FieldValue.string("I")));
  }

  @Example
  void shouldTreatAMarkerThatDoesNotFollowItsHeaderOrNamesNoTagAsAnOrdinaryHeader() {
    FieldTable apart = headersOf(header("n", "42"), header("x", "1"), header("amqp-type-n", "I"));
    FieldTable unknownTag = headersOf(header("n", "42"), header("amqp-type-n", "Z"));

    assertThat(apart.get("n")).isEqualTo(FieldValue.string("42"));
    assertThat(apart.get("amqp-type-n")).isEqualTo(FieldValue.string("I"));
    assertThat(unknownTag.get("n")).isEqualTo(FieldValue.string("42"));
    assertThat(unknownTag.get("amqp-type-n")).isEqualTo(FieldValue.string("Z"));
  }

  @Example
  void shouldEscapeApplicationHeadersNamedLikeTheMappingsOwn() {
    FieldTable headers =
        FieldTable.builder()
            .put("amqp-priority", "high")
            .put("amqp-timestamp", FieldValue.int32(5))
            .put("amqp-type-x", "I")
            .build();
    Message message = message(BasicProperties.builder().headers(headers).build(), "", new byte[0]);

    StreamRecord record = mapping.toRecord(message, NOW);
    Message back = mapping.toMessage("t", logRecord(record, 0));

    assertThat(texts(record.headers()))
        .containsExactly(
            "amqp-timestamp=",
            "amqp-header-amqp-priority=high",
            "amqp-header-amqp-timestamp=5",
            "amqp-type-amqp-timestamp=I",
            "amqp-header-amqp-type-x=I");
    assertThat(back.properties()).isEqualTo(message.properties());
  }

  @Example
  void shouldKeepMalformedPropertyHeadersAsApplicationHeaders() {
    byte[] notUtf8 = {(byte) 0xC3, 0x28};
    LogRecord record =
        new LogRecord(
            0,
            NOW,
            null,
            null,
            List.of(
                header("amqp-delivery-mode", "abc"),
                header("amqp-priority", "300"),
                new Header("amqp-content-type", notUtf8),
                header("amqp-message-id", "m".repeat(256)),
                header("amqp-app-id", "first"),
                header("amqp-app-id", "second"),
                header("amqp-timestamp", "yesterday"),
                header("amqp-headers", "x")));

    Message message = mapping.toMessage("t", record);
    BasicProperties properties = decode(message.properties());

    assertThat(message.persistent()).isTrue();
    assertThat(message.priority()).as("300 is no priority").isZero();
    assertThat(properties.toBuilder().headers(null).build())
        .isEqualTo(BasicProperties.builder().appId("first").timestamp(NOW / 1000).build());
    assertThat(properties.headers().entries())
        .containsExactly(
            Map.entry("amqp-delivery-mode", FieldValue.string("abc")),
            Map.entry("amqp-priority", FieldValue.string("300")),
            Map.entry("amqp-content-type", new FieldValue.StringValue(LongString.of(notUtf8))),
            Map.entry("amqp-message-id", FieldValue.string("m".repeat(256))),
            Map.entry("amqp-app-id", FieldValue.string("second")),
            Map.entry("amqp-timestamp", FieldValue.string("yesterday")),
            Map.entry("amqp-headers", FieldValue.string("x")));
  }

  @Example
  void shouldQueueARecordAtItsAmqpPriority() {
    Message message = withHeaders(header("amqp-priority", "7"));

    assertThat(message.priority()).isEqualTo(7);
    assertThat(decode(message.properties()).priority()).isEqualTo(7);
  }

  @Example
  void shouldMakeTheMessageTransientOnlyForDeliveryModeOne() {
    assertThat(persistent("1")).isFalse();
    assertThat(persistent("2")).isTrue();
    assertThat(persistent(null)).isTrue();
  }

  @Example
  void shouldExpireTheMessageAsBasicPublishWouldButNeverRefuseAnExpiration() {
    long before = System.currentTimeMillis();
    Message valid = withHeaders(header("amqp-expiration", "60000"));
    long after = System.currentTimeMillis();
    Message invalid = withHeaders(header("amqp-expiration", "soon"));

    assertThat(valid.expiresAt()).isBetween(before + 60_000, after + 60_000);
    assertThat(invalid.expiresAt()).isZero();
    assertThat(decode(invalid.properties()).expiration()).isEqualTo("soon");
  }

  @Example
  void shouldAddTheStreamOffsetForAStreamConsumerOnly() {
    LogRecord plain = new LogRecord(42, NOW, null, null, List.of());
    LogRecord delivered =
        new LogRecord(
            43, NOW, null, null, List.of(header("x-stream-offset", "1"), header("a", "b")));

    Message forStream = mapping.toMessage("t", plain, 42, -1);
    Message again = mapping.toMessage("t", delivered, 43, -1);
    Message forQueue = mapping.toMessage("t", plain);

    assertThat(decode(forStream.properties()).headers().entries())
        .containsExactly(Map.entry("x-stream-offset", FieldValue.int64(42)));
    assertThat(forStream.headers()).containsEntry("x-stream-offset", 42L);
    assertThat(decode(again.properties()).headers().entries().keySet())
        .containsExactly("x-stream-offset", "a");
    assertThat(decode(again.properties()).headers().get("x-stream-offset"))
        .isEqualTo(FieldValue.int64(43));
    assertThat(decode(forQueue.properties()).headers()).isNull();
  }

  @Example
  void shouldKeepAnEmptyHeadersTableApartFromNone() {
    Message empty =
        message(BasicProperties.builder().headers(FieldTable.EMPTY).build(), "", new byte[0]);
    Message none = message(BasicProperties.EMPTY, "", new byte[0]);

    assertThat(value(mapping.toRecord(empty, NOW).headers(), "amqp-headers")).isEmpty();
    assertThat(decode(roundTrip(mapping, empty).properties()).headers())
        .isEqualTo(FieldTable.EMPTY);
    assertThat(decode(roundTrip(mapping, none).properties()).headers()).isNull();
  }

  @Example
  void shouldMapAMessageWithoutPropertyBytesToBodyKeyAndTimestampMarkerOnly() {
    Message bare = new Message("x", "k", new byte[0], Map.of("h", "v"), new byte[] {1}, true);
    Message malformed =
        new Message("x", "k", new byte[] {0, 1, (byte) 0x80, 0}, Map.of(), new byte[] {1}, true);

    for (Message message : List.of(bare, malformed)) {
      StreamRecord record = mapping.toRecord(message, NOW);

      assertThat(texts(record.headers())).containsExactly("amqp-timestamp=");
      assertThat(record.key()).isEqualTo("k".getBytes(UTF_8));
      assertThat(record.value()).containsExactly(1);
      assertThat(record.timestamp()).isEqualTo(NOW);
    }
  }

  @Example
  void shouldCutAKeyLongerThanARoutingKeyCanBeAtACodePoint() {
    assertThat(routingKeyOf("é".repeat(300))).isEqualTo("é".repeat(127));
    assertThat(routingKeyOf("a".repeat(300))).isEqualTo("a".repeat(255));
    assertThat(routingKeyOf("a" + "😀".repeat(100))).isEqualTo("a" + "😀".repeat(63));
    assertThat(routingKeyOf("k".repeat(255))).isEqualTo("k".repeat(255));
  }

  @Example
  void shouldDropAHeaderWhoseNameNoAmqpTableCanHold() {
    FieldTable headers = headersOf(header("n".repeat(256), "v"), header("é".repeat(127), "w"));

    assertThat(headers.entries().keySet()).containsExactly("é".repeat(127));
  }

  // Helpers, shared with RecordPropertiesPropertyTest.

  static Message message(BasicProperties properties, String routingKey, byte[] body) {
    return new Message(
        "amq.topic",
        routingKey,
        encode(properties),
        FieldTables.toMap(properties.headers()),
        body,
        Integer.valueOf(2).equals(properties.deliveryMode()));
  }

  static Message roundTrip(RecordProperties mapping, Message message) {
    return mapping.toMessage("t", logRecord(mapping.toRecord(message, NOW), 0));
  }

  static LogRecord logRecord(StreamRecord record, long offset) {
    return new LogRecord(
        offset, record.timestamp(), record.key(), record.value(), record.headers());
  }

  static byte[] encode(BasicProperties properties) {
    ByteBuf out = Unpooled.buffer();
    properties.write(out);
    return ByteBufUtil.getBytes(out);
  }

  static BasicProperties decode(byte[] properties) {
    return BasicProperties.decode(Unpooled.wrappedBuffer(properties));
  }

  static Header header(String name, String value) {
    return new Header(name, value == null ? null : value.getBytes(UTF_8));
  }

  /** The properties as the Java client reads a content header: weight, body size, properties. */
  private static AMQP.BasicProperties readByTheJavaClient(byte[] properties) throws IOException {
    byte[] header = new byte[10 + properties.length];
    System.arraycopy(properties, 0, header, 10, properties.length);
    return new AMQP.BasicProperties(new DataInputStream(new ByteArrayInputStream(header)));
  }

  private static BasicProperties everyProperty() {
    FieldTable inner = FieldTable.builder().put("x", true).build();
    FieldTable nested =
        FieldTable.builder()
            .put(
                "deep",
                FieldValue.array(
                    FieldValue.int32(1), FieldValue.string("two"), FieldValue.table(inner)))
            .build();
    FieldTable headers =
        FieldTable.builder()
            .put("text", "héllo")
            .put("bool", true)
            .put("byte", new FieldValue.ByteValue((byte) -8))
            .put("ubyte", new FieldValue.UnsignedByteValue(200))
            .put("short", new FieldValue.ShortValue((short) -300))
            .put("ushort", new FieldValue.UnsignedShortValue(60_000))
            .put("int", FieldValue.int32(-70_000))
            .put("uint", new FieldValue.UnsignedIntValue(4_000_000_000L))
            .put("long", FieldValue.int64(Long.MIN_VALUE))
            .put("float", new FieldValue.FloatValue(0.1f))
            .put("double", new FieldValue.DoubleValue(-1.0E-300))
            .put("nan", new FieldValue.DoubleValue(Double.NaN))
            .put("decimal", new FieldValue.DecimalValue(2, -1250))
            .put("timestamp", new FieldValue.TimestampValue(1_700_000_000L))
            .put("bytes", new FieldValue.BytesValue(LongString.of(new byte[] {0, -1, 10})))
            .put("table", nested)
            .put(
                "array",
                FieldValue.array(
                    FieldValue.string("a"),
                    FieldValue.VoidValue.INSTANCE,
                    FieldValue.table(FieldTable.EMPTY)))
            .put("void", FieldValue.VoidValue.INSTANCE)
            .put("amqp-content-type", "not the property")
            .build();
    return BasicProperties.builder()
        .contentType("application/json")
        .contentEncoding("gzip")
        .headers(headers)
        .deliveryMode(2)
        .priority(9)
        .correlationId("corr")
        .replyTo("amq.rabbitmq.reply-to")
        .expiration("60000")
        .messageId("m-1")
        .timestamp(1_700_000_000L)
        .type("order.created")
        .userId("guest")
        .appId("shop")
        .clusterId("c1")
        .build();
  }

  private Long timestampOf(LogRecord record) {
    return decode(mapping.toMessage("t", record).properties()).timestamp();
  }

  private FieldTable headersOf(Header... headers) {
    LogRecord record = new LogRecord(0, NOW, null, null, List.of(headers));
    return decode(mapping.toMessage("t", record).properties()).headers();
  }

  private Message withHeaders(Header... headers) {
    return mapping.toMessage("t", new LogRecord(0, NOW, null, null, List.of(headers)));
  }

  private boolean persistent(String deliveryMode) {
    List<Header> headers =
        deliveryMode == null ? List.of() : List.of(header("amqp-delivery-mode", deliveryMode));
    return mapping.toMessage("t", new LogRecord(0, NOW, null, null, headers)).persistent();
  }

  private String routingKeyOf(String key) {
    LogRecord record = new LogRecord(0, NOW, key.getBytes(UTF_8), null, List.of());
    return mapping.toMessage("t", record).routingKey();
  }

  /** Each header as name=value (bytes as Latin-1, to show every byte), or "name (null)". */
  private static List<String> texts(List<Header> headers) {
    List<String> texts = new ArrayList<>();
    for (Header header : headers) {
      texts.add(
          header.value() == null
              ? header.key() + " (null)"
              : header.key()
                  + "="
                  + new String(header.value(), isUtf8(header) ? UTF_8 : ISO_8859_1));
    }
    return texts;
  }

  private static boolean isUtf8(Header header) {
    return Arrays.equals(new String(header.value(), UTF_8).getBytes(UTF_8), header.value());
  }

  private static byte[] value(List<Header> headers, String name) {
    return headers.stream().filter(h -> h.key().equals(name)).findFirst().orElseThrow().value();
  }

  private static byte[] wire(FieldValue value) {
    ByteBuf out = Unpooled.buffer();
    value.writeValue(out);
    return ByteBufUtil.getBytes(out);
  }
}
