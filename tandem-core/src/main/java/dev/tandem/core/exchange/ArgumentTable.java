package dev.tandem.core.exchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Argument tables (declaration and binding arguments, x-arguments, decoded message headers): copies
 * that keep null values (AMQP's void field value is one, and a headers binding uses it to match a
 * header's presence), and a binary encoding of tables of strings, numbers, booleans, byte arrays,
 * timestamps, lists and nested tables. Each value is a tag byte then its data:
 *
 * <pre>
 *   N null   Z boolean   L long   D double   S string (modified UTF-8, at most 65535 bytes)
 *   U longer string (int32 length, UTF-8)   B bytes (int32 length)   T timestamp (int64 ms)
 *   M decimal (string)   A list (int32 count, values)   F table (int32 count, [key UTF, value])
 * </pre>
 *
 * Stateless.
 */
public final class ArgumentTable {
  private static final int MAX_UTF = 65535;

  private ArgumentTable() {}

  /** An unmodifiable copy in iteration order, null values kept; empty for null. */
  public static Map<String, Object> copyOf(Map<String, Object> arguments) {
    if (arguments == null || arguments.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
  }

  /**
   * The table's encoding: integers as L, floats as D, text (and anything else) as S or U by its
   * text.
   */
  public static byte[] encode(Map<String, Object> table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeValue(out, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The table {@link #encode} wrote: integers as Long, floats as Double, text as String. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      return (Map<String, Object>) readValue(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeValue(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeByte('N');
    } else if (value instanceof Boolean b) {
      out.writeByte('Z');
      out.writeBoolean(b);
    } else if (value instanceof Float || value instanceof Double) {
      out.writeByte('D');
      out.writeDouble(((Number) value).doubleValue());
    } else if (value instanceof BigDecimal d) {
      out.writeByte('M');
      out.writeUTF(d.toString());
    } else if (value instanceof Number n) {
      out.writeByte('L');
      out.writeLong(n.longValue());
    } else if (value instanceof byte[] bytes) {
      out.writeByte('B');
      out.writeInt(bytes.length);
      out.write(bytes);
    } else if (value instanceof Date date) {
      out.writeByte('T');
      out.writeLong(date.getTime());
    } else if (value instanceof List<?> list) {
      out.writeByte('A');
      out.writeInt(list.size());
      for (Object item : list) {
        writeValue(out, item);
      }
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte('F');
      out.writeInt(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.writeUTF(String.valueOf(entry.getKey()));
        writeValue(out, entry.getValue());
      }
    } else {
      writeString(out, value.toString());
    }
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    if (modifiedUtfLength(text) <= MAX_UTF) {
      out.writeByte('S');
      out.writeUTF(text);
    } else {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.writeByte('U');
      out.writeInt(utf8.length);
      out.write(utf8);
    }
  }

  /** The length {@link DataOutputStream#writeUTF} would write, counted only past a safe bound. */
  private static int modifiedUtfLength(String text) {
    if (text.length() <= MAX_UTF / 3) {
      return text.length();
    }
    int length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      length += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
    }
    return length;
  }

  private static Object readValue(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case 'N':
        return null;
      case 'Z':
        return in.readBoolean();
      case 'D':
        return in.readDouble();
      case 'M':
        return new BigDecimal(in.readUTF());
      case 'L':
        return in.readLong();
      case 'B':
        return readBytes(in);
      case 'U':
        return new String(readBytes(in), StandardCharsets.UTF_8);
      case 'T':
        return new Date(in.readLong());
      case 'A':
        int count = in.readInt();
        List<Object> list = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
          list.add(readValue(in));
        }
        return list;
      case 'F':
        int size = in.readInt();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
          String key = in.readUTF();
          map.put(key, readValue(in));
        }
        return map;
      case 'S':
        return in.readUTF();
      default:
        throw new IOException("unknown argument tag " + tag);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("field of " + length + " bytes past the table's end");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
