package dev.tandem.core.vhost;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes declaration arguments (x-arguments: tables of strings, numbers, booleans, byte arrays,
 * timestamps, lists and nested tables) for durable definitions. Each value is a tag byte then its
 * data:
 *
 * <pre>
 *   N null   Z boolean   L long   D double   S string (UTF)   B bytes (int32 length)
 *   T timestamp (int64 ms)   M decimal (string)   A list (int32 count, values)
 *   F table (int32 count, [key UTF, value])
 * </pre>
 *
 * Stateless.
 */
public final class Arguments {
  private Arguments() {}

  /**
   * The table as it reads back after a restart: integers as Long, floats as Double, text as String.
   */
  public static Map<String, Object> normalize(Map<String, Object> table) {
    return table == null || table.isEmpty() ? Map.of() : decode(encode(table));
  }

  public static byte[] encode(Map<String, Object> table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeValue(out, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

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
      out.writeByte('S');
      out.writeUTF(value.toString());
    }
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
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
      case 'T':
        return new Date(in.readLong());
      case 'A':
        int count = in.readInt();
        List<Object> list = new ArrayList<>(count);
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
}
