package dev.tandem.amqp.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FieldTableTest {

  @Property(tries = 1000)
  void shouldWriteBackEveryTagItReads(@ForAll("tables") FieldTable table) {
    ByteBuf encoded = Unpooled.buffer();
    table.write(encoded);
    byte[] bytes = ByteBufUtil.getBytes(encoded);

    FieldTable decoded = FieldTable.read(encoded);
    ByteBuf again = Unpooled.buffer();
    decoded.write(again);

    assertThat(encoded.isReadable()).isFalse();
    assertThat(decoded).isEqualTo(table);
    assertThat(ByteBufUtil.getBytes(again)).isEqualTo(bytes);
  }

  @Example
  void shouldReadTheUnsignedTagsThatTheJavaClientNeverWrites() {
    ByteBuf in =
        table(
            entry("B", 'B', 0xFF),
            entry("u", 'u', 0xFF, 0xFE),
            entry("i", 'i', 0xFF, 0xFF, 0xFF, 0xFE));

    FieldTable table = FieldTable.read(in);

    assertThat(table.entries())
        .containsExactly(
            Map.entry("B", new FieldValue.UnsignedByteValue(255)),
            Map.entry("u", new FieldValue.UnsignedShortValue(65534)),
            Map.entry("i", new FieldValue.UnsignedIntValue(4_294_967_294L)));
  }

  @Example
  void shouldReadCapitalLAsASigned64BitValueAndWriteItBackAsLowercaseL() {
    ByteBuf in = table(entry("n", 'L', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));

    FieldTable table = FieldTable.read(in);
    ByteBuf out = Unpooled.buffer();
    table.write(out);

    assertThat(table.get("n")).isEqualTo(new FieldValue.LongValue(-1));
    assertThat(ByteBufUtil.getBytes(out)[6]).isEqualTo((byte) 'l');
  }

  @Example
  void shouldReadADecimalAsScaleAndUnscaledValue() {
    ByteBuf in = table(entry("d", 'D', 2, 0, 0, 0x04, 0xD2));

    FieldValue.DecimalValue value = (FieldValue.DecimalValue) FieldTable.read(in).get("d");

    assertThat(value.toBigDecimal()).isEqualTo(new BigDecimal("12.34"));
  }

  @Example
  void shouldKeepTheFirstValueOfANameThatAppearsTwice() {
    ByteBuf in = table(entry("k", 'I', 0, 0, 0, 1), entry("k", 'I', 0, 0, 0, 2));

    assertThat(FieldTable.read(in).entries()).containsExactly(Map.entry("k", FieldValue.int32(1)));
  }

  @Example
  void shouldRefuseAnUnknownTagWithFrameError() {
    assertFrameError(table(entry("z", 'Z', 0)), "unknown field value type");
  }

  @Example
  void shouldRefuseALengthPastTheEndOfTheFrameWithoutAllocatingIt() {
    ByteBuf in = Unpooled.buffer().writeInt(0x7FFF_FFFF).writeByte(0);
    ByteBuf longString = table(entry("s", 'S', 0xFF, 0xFF, 0xFF, 0xF0, 'a'));

    assertFrameError(in, "runs past the end of the frame");
    assertFrameError(longString, "runs past the end of the frame");
  }

  @Example
  void shouldAcceptNestingUpToTheLimitAndRefuseDeeper() {
    assertThat(FieldTable.read(nested(FieldTable.MAX_NESTING_DEPTH))).isNotNull();
    assertFrameError(nested(FieldTable.MAX_NESTING_DEPTH + 1), "nested more than");
    assertFrameError(nested(100_000), "nested more than");
  }

  @Example
  void shouldBuildTablesInInsertionOrder() {
    FieldTable table =
        FieldTable.builder()
            .put("x-queue-type", "stream")
            .put("x-max-length", 10)
            .put("durable", true)
            .put("x-stream-offset", 5L)
            .put("nested", FieldTable.EMPTY)
            .build();

    assertThat(table.entries().keySet())
        .containsExactly("x-queue-type", "x-max-length", "durable", "x-stream-offset", "nested");
    assertThat(((FieldValue.StringValue) table.get("x-queue-type")).asString()).isEqualTo("stream");
  }

  @Provide
  Arbitrary<FieldTable> tables() {
    return tables(3);
  }

  private static Arbitrary<FieldTable> tables(int depth) {
    return Arbitraries.maps(ClientValues.shortStrings().map(FieldTableTest::utf8), values(depth))
        .ofMaxSize(6)
        .map(FieldTable::of);
  }

  private static Arbitrary<FieldValue> values(int depth) {
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
            Arbitraries.floats().map(FieldValue.FloatValue::new),
            Arbitraries.doubles().map(FieldValue.DoubleValue::new),
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

  private static Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  private static String utf8(String text) {
    return new String(text.getBytes(UTF_8), UTF_8);
  }

  /** A table nesting {@code depth} tables inside one another, each named "t". */
  private static ByteBuf nested(int depth) {
    ByteBuf out = Unpooled.buffer(4 + 7 * depth);
    for (int level = depth; level > 0; level--) {
      // a table of one entry: name (1 byte length + "t"), tag 'F', then the inner table
      out.writeInt(7 * level).writeByte(1).writeByte('t').writeByte('F');
    }
    return out.writeInt(0);
  }

  private static byte[] entry(String name, char tag, int... value) {
    ByteBuf out = Unpooled.buffer();
    WireTypes.writeShortString(out, name);
    out.writeByte(tag);
    for (int b : value) {
      out.writeByte(b);
    }
    return ByteBufUtil.getBytes(out);
  }

  private static ByteBuf table(byte[]... entries) {
    ByteBuf out = Unpooled.buffer();
    out.writeInt(List.of(entries).stream().mapToInt(e -> e.length).sum());
    for (byte[] entry : entries) {
      out.writeBytes(entry);
    }
    return out;
  }

  private static void assertFrameError(ByteBuf in, String message) {
    assertThatThrownBy(() -> FieldTable.read(in))
        .isInstanceOfSatisfying(
            AmqpException.class, e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.FRAME_ERROR))
        .hasMessageContaining(message);
  }
}
