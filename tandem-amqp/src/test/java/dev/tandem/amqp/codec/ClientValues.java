package dev.tandem.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random values of the Java types the Java client encodes: every field-table value type it can
 * write (String, LongString, Integer, BigDecimal, Date, Map, Byte, Double, Float, Long, Short,
 * Boolean, byte[], null, List, Object[]), nested tables and arrays, and basic properties.
 */
public final class ClientValues {
  private ClientValues() {}

  /** Short strings: arbitrary Unicode up to 60 chars, or ASCII up to the full 255 bytes. */
  public static Arbitrary<String> shortStrings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60), Arbitraries.strings().ascii().ofMaxLength(255));
  }

  static Arbitrary<LongString> longStrings() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMaxSize(300)
        .map(LongStringHelper::asLongString);
  }

  /** A field table as the client takes it, nested up to {@code depth} levels. */
  static Arbitrary<Map<String, Object>> tables(int depth) {
    return Arbitraries.maps(shortStrings(), values(depth).injectNull(0.05)).ofMaxSize(6);
  }

  static Arbitrary<Object> values(int depth) {
    Arbitrary<Object> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
            longStrings().map(s -> (Object) s),
            Arbitraries.integers().map(i -> (Object) i),
            decimals().map(d -> (Object) d),
            dates().map(d -> (Object) d),
            Arbitraries.bytes().map(b -> (Object) b),
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.floats().map(f -> (Object) f),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.shorts().map(s -> (Object) s),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(b -> (Object) b));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<Object> nested =
        Arbitraries.oneOf(
            tables(depth - 1).map(t -> (Object) t),
            arrays(depth - 1).map(a -> (Object) a),
            arrays(depth - 1).map(a -> (Object) a.toArray()));
    return Arbitraries.frequencyOf(Tuple.of(4, scalars), Tuple.of(1, nested));
  }

  static Arbitrary<List<Object>> arrays(int depth) {
    return values(depth).injectNull(0.05).list().ofMaxSize(5);
  }

  static Arbitrary<BigDecimal> decimals() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
        .as((unscaled, scale) -> new BigDecimal(BigInteger.valueOf(unscaled), scale));
  }

  /** Whole seconds: the wire carries seconds. */
  static Arbitrary<Date> dates() {
    return Arbitraries.longs()
        .between(Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000)
        .map(seconds -> new Date(seconds * 1000));
  }

  public static Arbitrary<AMQP.BasicProperties> basicProperties() {
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
            optional(dates()),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(shortStrings()),
            optional(shortStrings()));
    return Combinators.combine(fields).as(ClientValues::basicProperties);
  }

  @SuppressWarnings("unchecked")
  private static AMQP.BasicProperties basicProperties(List<Object> f) {
    return new AMQP.BasicProperties(
        (String) f.get(0),
        (String) f.get(1),
        (Map<String, Object>) f.get(2),
        (Integer) f.get(3),
        (Integer) f.get(4),
        (String) f.get(5),
        (String) f.get(6),
        (String) f.get(7),
        (String) f.get(8),
        (Date) f.get(9),
        (String) f.get(10),
        (String) f.get(11),
        (String) f.get(12),
        (String) f.get(13));
  }

  private static Arbitrary<Object> optional(Arbitrary<?> values) {
    return values.map(v -> (Object) v).injectNull(0.3);
  }

  /** A random value for a constructor parameter of an {@code AMQImpl} method class. */
  static Arbitrary<Object> forParameter(Class<?> type) {
    if (type == int.class) {
      return Arbitraries.integers().map(i -> (Object) i);
    } else if (type == long.class) {
      return Arbitraries.longs().map(l -> (Object) l);
    } else if (type == boolean.class) {
      return Arbitraries.of(true, false).map(b -> (Object) b);
    } else if (type == String.class) {
      return shortStrings().map(s -> (Object) s);
    } else if (type == LongString.class) {
      return longStrings().map(s -> (Object) s);
    } else if (type == Map.class) {
      return tables(3).map(t -> (Object) t);
    }
    throw new IllegalArgumentException("no values for " + type);
  }
}
