package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FieldValue;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns AMQP field tables into the plain Java values core works with (arguments, binding arguments,
 * message headers for headers-exchange routing):
 *
 * <pre>
 *   t boolean                    Boolean
 *   b B s u I i l L              Long
 *   f d                          Double
 *   D decimal                    BigDecimal
 *   S long string                String (UTF-8)
 *   x byte array                 byte[]
 *   T timestamp (seconds)        Date
 *   F table                      Map (wire order)
 *   A array                      List
 *   V void                       null
 * </pre>
 *
 * Stateless.
 */
final class FieldTables {
  private FieldTables() {}

  static Map<String, Object> toMap(FieldTable table) {
    if (table == null || table.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    table.entries().forEach((name, value) -> map.put(name, toJava(value)));
    return map;
  }

  static Object toJava(FieldValue value) {
    if (value instanceof FieldValue.BooleanValue v) {
      return v.value();
    } else if (value instanceof FieldValue.ByteValue v) {
      return (long) v.value();
    } else if (value instanceof FieldValue.UnsignedByteValue v) {
      return (long) v.value();
    } else if (value instanceof FieldValue.ShortValue v) {
      return (long) v.value();
    } else if (value instanceof FieldValue.UnsignedShortValue v) {
      return (long) v.value();
    } else if (value instanceof FieldValue.IntValue v) {
      return (long) v.value();
    } else if (value instanceof FieldValue.UnsignedIntValue v) {
      return v.value();
    } else if (value instanceof FieldValue.LongValue v) {
      return v.value();
    } else if (value instanceof FieldValue.FloatValue v) {
      return (double) v.value();
    } else if (value instanceof FieldValue.DoubleValue v) {
      return v.value();
    } else if (value instanceof FieldValue.DecimalValue v) {
      return v.toBigDecimal();
    } else if (value instanceof FieldValue.StringValue v) {
      return v.asString();
    } else if (value instanceof FieldValue.BytesValue v) {
      return v.value().bytes();
    } else if (value instanceof FieldValue.TimestampValue v) {
      return new Date(v.seconds() * 1000);
    } else if (value instanceof FieldValue.TableValue v) {
      return toMap(v.value());
    } else if (value instanceof FieldValue.ArrayValue v) {
      List<Object> list = new ArrayList<>(v.values().size());
      v.values().forEach(item -> list.add(toJava(item)));
      return list;
    }
    return null;
  }
}
