package dev.tandem.amqp.channel;

import static dev.tandem.amqp.channel.RecordPropertiesTest.NOW;
import static dev.tandem.amqp.channel.RecordPropertiesTest.decode;
import static dev.tandem.amqp.channel.RecordPropertiesTest.encode;
import static dev.tandem.amqp.channel.RecordPropertiesTest.logRecord;
import static dev.tandem.amqp.channel.RecordPropertiesTest.message;
import static dev.tandem.amqp.channel.RecordPropertiesTest.roundTrip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.ClientValues;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.core.queue.Message;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder.Header;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The mapping on random input: any AMQP message crosses into a topic and back unchanged, and any
 * record becomes a deliverable message without an exception.
 */
class RecordPropertiesPropertyTest {
  private static final List<String> MAPPING_NAMES =
      List.of(
          "amqp-content-type",
          "amqp-content-encoding",
          "amqp-headers",
          "amqp-delivery-mode",
          "amqp-priority",
          "amqp-correlation-id",
          "amqp-reply-to",
          "amqp-expiration",
          "amqp-message-id",
          "amqp-timestamp",
          "amqp-type",
          "amqp-user-id",
          "amqp-app-id",
          "amqp-cluster-id",
          "amqp-type-a",
          "amqp-header-a",
          "amqp-header-amqp-a",
          "x-stream-offset");

  private final RecordProperties mapping = new RecordProperties();

  @Property(tries = 1000)
  void shouldBringBackAnyPropertiesExactly(
      @ForAll("properties") BasicProperties sent,
      @ForAll("shortStrings") String routingKey,
      @ForAll("bytes") byte[] body) {
    Message message = message(sent, routingKey, body);

    Message back = roundTrip(mapping, message);

    assertThat(back.properties()).isEqualTo(message.properties());
    assertThat(decode(back.properties())).isEqualTo(sent);
    assertThat(back.routingKey()).isEqualTo(message.routingKey());
    assertThat(back.body()).isEqualTo(body);
  }

  @Property(tries = 500)
  void shouldBringBackWhatTheJavaClientPublishesExactly(
      @ForAll("clientProperties") AMQP.BasicProperties published) throws IOException {
    // The client's content header payload: class id, weight, body size, then the properties.
    byte[] payload = published.toFrame(1, 0).getPayload();
    byte[] properties = Arrays.copyOfRange(payload, 12, payload.length);
    Message message = new Message("x", "k", properties, Map.of(), new byte[0], true);

    Message back = roundTrip(mapping, message);

    assertThat(back.properties()).isEqualTo(properties);
  }

  @Property(tries = 1000)
  void shouldMakeADeliverableMessageOfAnyRecord(@ForAll("records") LogRecord record) {
    Message message = mapping.toMessage("topic", record, record.offset(), -1);

    BasicProperties properties = decode(message.properties());
    assertThat(encode(properties)).isEqualTo(message.properties());
    assertThat(ByteBufUtil.utf8Bytes(message.routingKey())).isLessThanOrEqualTo(255);
    assertThat(properties.headers().get("x-stream-offset"))
        .isEqualTo(FieldValue.int64(record.offset()));
  }

  @Property(tries = 1000)
  void shouldBringBackAMessageMadeFromAnyRecordExactly(@ForAll("records") LogRecord record) {
    Message message = mapping.toMessage("topic", record);

    Message back = mapping.toMessage("topic", logRecord(mapping.toRecord(message, NOW), 1));

    assertThat(back.properties()).isEqualTo(message.properties());
    assertThat(back.routingKey()).isEqualTo(message.routingKey());
    assertThat(back.persistent()).isEqualTo(message.persistent());
  }

  @Provide
  Arbitrary<BasicProperties> properties() {
    List<Arbitrary<Object>> fields =
        Arrays.asList(
            optional(shortStrings()),
            optional(shortStrings()),
            optional(tables(3)),
            optional(Arbitraries.integers().between(0, 255)),
            optional(Arbitraries.integers().between(0, 255)),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(
                Arbitraries.oneOf(
                    Arbitraries.longs(),
                    Arbitraries.of(-1L, Long.MIN_VALUE, RecordProperties.MAX_SECONDS + 1))),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(shortStrings()));
    return Combinators.combine(fields).as(RecordPropertiesPropertyTest::properties);
  }

  private static BasicProperties properties(List<Object> f) {
    return new BasicProperties(
        (String) f.get(0),
        (String) f.get(1),
        (FieldTable) f.get(2),
        (Integer) f.get(3),
        (Integer) f.get(4),
        (String) f.get(5),
        (String) f.get(6),
        (String) f.get(7),
        (String) f.get(8),
        (Long) f.get(9),
        (String) f.get(10),
        (String) f.get(11),
        (String) f.get(12),
        (String) f.get(13));
  }

  @Provide
  Arbitrary<AMQP.BasicProperties> clientProperties() {
    return ClientValues.basicProperties();
  }

  @Provide
  Arbitrary<String> shortStrings() {
    return ClientValues.shortStrings().map(s -> new String(s.getBytes(UTF_8), UTF_8));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  @Provide
  Arbitrary<LogRecord> records() {
    return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Arbitraries.longs().between(-1, Long.MAX_VALUE),
            Arbitraries.oneOf(
                    bytes(), Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(UTF_8)))
                .injectNull(0.2),
            bytes().injectNull(0.2),
            recordHeaders())
        .as(LogRecord::new);
  }

  /** Headers a record may carry, with marker pairs and the mapping's own names mixed in. */
  private Arbitrary<List<Header>> recordHeaders() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.of(MAPPING_NAMES),
            Arbitraries.strings().alpha().ofMaxLength(3),
            Arbitraries.strings().ofMaxLength(300));
    Arbitrary<byte[]> values =
        Arbitraries.oneOf(
                bytes(),
                Arbitraries.strings().numeric().ofMaxLength(25).map(s -> s.getBytes(UTF_8)),
                Arbitraries.of("true", "-0.5", "NaN", "12.50", "1E+3", "-1", "256", "")
                    .map(s -> s.getBytes(UTF_8)),
                tables(2).map(t -> RecordHeaderValue.bytes(FieldValue.table(t))),
                Arbitraries.of("tbBsuIilLfdDTxFASVZ".split("")).map(s -> s.getBytes(UTF_8)))
            .injectNull(0.1);
    Arbitrary<List<Header>> single =
        Combinators.combine(names, values).as(Header::new).map(List::of);
    Arbitrary<List<Header>> typed =
        Combinators.combine(names, values, Arbitraries.of("tbBsuIilLfdDTxFASVZ".split("")))
            .as(
                (name, value, tag) ->
                    List.of(
                        new Header(name, value),
                        new Header("amqp-type-" + name, tag.getBytes(UTF_8))));
    return Arbitraries.oneOf(single, typed)
        .list()
        .ofMaxSize(8)
        .map(units -> units.stream().flatMap(List::stream).toList());
  }

  /** Tables of every value type, with names that collide with the mapping's own. */
  private Arbitrary<FieldTable> tables(int depth) {
    Arbitrary<String> names = Arbitraries.oneOf(shortStrings(), Arbitraries.of(MAPPING_NAMES));
    return Arbitraries.maps(names, values(depth)).ofMaxSize(6).map(FieldTable::of);
  }

  private Arbitrary<FieldValue> values(int depth) {
    Arbitrary<FieldValue> scalars =
        Arbitraries.oneOf(
            Arbitraries.of(true, false).map(FieldValue.BooleanValue::new),
            Arbitraries.bytes().map(FieldValue.ByteValue::new),
            Arbitraries.integers().between(0, 255).map(FieldValue.UnsignedByteValue::new),
            Arbitraries.shorts().map(FieldValue.ShortValue::new),
            Arbitraries.integers().between(0, 65535).map(FieldValue.UnsignedShortValue::new),
            Arbitraries.integers().map(FieldValue.IntValue::new),
            Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(FieldValue.UnsignedIntValue::new),
            Arbitraries.longs().map(FieldValue.LongValue::new),
            Arbitraries.floats()
                .withSpecialValue(Float.NaN)
                .withSpecialValue(Float.NEGATIVE_INFINITY)
                .withSpecialValue(-0.0f)
                .withSpecialValue(Float.MIN_VALUE)
                .map(FieldValue.FloatValue::new),
            Arbitraries.doubles()
                .withSpecialValue(Double.NaN)
                .withSpecialValue(Double.POSITIVE_INFINITY)
                .withSpecialValue(-0.0)
                .withSpecialValue(Double.MAX_VALUE)
                .map(FieldValue.DoubleValue::new),
            Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers())
                .as(FieldValue.DecimalValue::new),
            bytes().map(b -> new FieldValue.StringValue(LongString.of(b))),
            bytes().map(b -> new FieldValue.BytesValue(LongString.of(b))),
            Arbitraries.longs().map(FieldValue.TimestampValue::new),
            Arbitraries.just(FieldValue.VoidValue.INSTANCE));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<FieldValue> nested =
        Arbitraries.oneOf(
            tables(depth - 1).map(FieldValue.TableValue::new),
            values(depth - 1).list().ofMaxSize(4).map(FieldValue.ArrayValue::new));
    return Arbitraries.oneOf(scalars, scalars, scalars, nested);
  }

  private static Arbitrary<Object> optional(Arbitrary<?> values) {
    return values.map(v -> (Object) v).injectNull(0.3);
  }
}
