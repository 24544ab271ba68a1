package dev.tandem.amqp.channel;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.FieldValue;
import dev.tandem.amqp.codec.LongString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * One AMQP application header value as the bytes of a record header, and back: long strings as
 * their bytes, void as a null value, every other type as text (or raw bytes, or wire encoding) with
 * a type marker naming its field type tag. The table of encodings is in {@link RecordProperties}.
 *
 * <p>Stateless and thread-safe. Marker values are shared one-byte arrays: never modify them.
 */
final class RecordHeaderValue {
  /** The longest decimal text parsed: a 255-digit scale, ten digits, sign, point, exponent. */
  private static final int MAX_DECIMAL_TEXT = 300;

  private static final byte[] TRUE = "true".getBytes(US_ASCII);
  private static final byte[] FALSE = "false".getBytes(US_ASCII);

  /** The marker value of each tag a marker may name, by tag; null for any other byte. */
  private static final byte[][] MARKERS = new byte[128][];

  static {
    for (char tag : "tbBsuIilLfdDTxFASV".toCharArray()) {
      MARKERS[tag] = new byte[] {(byte) tag};
    }
  }

  private RecordHeaderValue() {}

  /** The marker value for {@code tag}: the tag as one UTF-8 byte. */
  static byte[] marker(char tag) {
    return MARKERS[tag];
  }

  /** Whether {@code value} is a marker value: one byte that is a known field type tag. */
  static boolean isMarker(byte[] value) {
    return value != null && value.length == 1 && value[0] > 0 && MARKERS[value[0]] != null;
  }

  /** Whether the value needs a type marker after it: every type but long string and void. */
  static boolean needsMarker(FieldValue value) {
    return !(value instanceof FieldValue.StringValue) && !(value instanceof FieldValue.VoidValue);
  }

  /** The record header value of {@code value}; null for void. */
  static byte[] bytes(FieldValue value) {
    if (value instanceof FieldValue.StringValue v) {
      return v.value().bytes();
    } else if (value instanceof FieldValue.VoidValue) {
      return null;
    } else if (value instanceof FieldValue.BooleanValue v) {
      return v.value() ? TRUE : FALSE;
    } else if (value instanceof FieldValue.BytesValue v) {
      return v.value().bytes();
    } else if (value instanceof FieldValue.TableValue || value instanceof FieldValue.ArrayValue) {
      return wire(value);
    }
    return text(value).getBytes(US_ASCII);
  }

  private static String text(FieldValue value) {
    if (value instanceof FieldValue.ByteValue v) {
      return Integer.toString(v.value());
    } else if (value instanceof FieldValue.UnsignedByteValue v) {
      return Integer.toString(v.value());
    } else if (value instanceof FieldValue.ShortValue v) {
      return Integer.toString(v.value());
    } else if (value instanceof FieldValue.UnsignedShortValue v) {
      return Integer.toString(v.value());
    } else if (value instanceof FieldValue.IntValue v) {
      return Integer.toString(v.value());
    } else if (value instanceof FieldValue.UnsignedIntValue v) {
      return Long.toString(v.value());
    } else if (value instanceof FieldValue.LongValue v) {
      return Long.toString(v.value());
    } else if (value instanceof FieldValue.FloatValue v) {
      return Float.toString(v.value());
    } else if (value instanceof FieldValue.DoubleValue v) {
      return Double.toString(v.value());
    } else if (value instanceof FieldValue.DecimalValue v) {
      return v.toBigDecimal().toPlainString();
    } else if (value instanceof FieldValue.TimestampValue v) {
      return Long.toString(v.seconds());
    }
    throw new IllegalArgumentException("no text form for field type " + value.tag());
  }

  /** The value's wire encoding without its tag. */
  private static byte[] wire(FieldValue value) {
    ByteBuf out = Unpooled.buffer(64);
    try {
      value.writeValue(out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** A long string of the bytes, as a header without a marker reads. */
  static FieldValue longString(byte[] value) {
    return value == null
        ? FieldValue.VoidValue.INSTANCE
        : new FieldValue.StringValue(LongString.of(value));
  }

  /**
   * The value a record header carries under the type marker {@code tag} (a byte {@link #isMarker}
   * accepts), or null if it is not a well-formed value of that type. A null value is void.
   */
  static FieldValue read(byte tag, byte[] value) {
    if (value == null) {
      return FieldValue.VoidValue.INSTANCE;
    }
    try {
      return switch (tag) {
        case 'S' -> new FieldValue.StringValue(LongString.of(value));
        case 'x' -> new FieldValue.BytesValue(LongString.of(value));
        case 'V' -> FieldValue.VoidValue.INSTANCE;
        case 'F', 'A' -> fromWire(tag, value);
        default -> fromText(tag, new String(value, UTF_8));
      };
    } catch (IllegalArgumentException | ArithmeticException e) {
      // NumberFormatException, or a number out of its type's range: not a value of that type.
      return null;
    }
  }

  private static FieldValue fromText(byte tag, String text) {
    return switch (tag) {
      case 't' -> bool(text);
      case 'b' -> new FieldValue.ByteValue(Byte.parseByte(text));
      case 'B' -> new FieldValue.UnsignedByteValue(Integer.parseInt(text));
      case 's' -> new FieldValue.ShortValue(Short.parseShort(text));
      case 'u' -> new FieldValue.UnsignedShortValue(Integer.parseInt(text));
      case 'I' -> new FieldValue.IntValue(Integer.parseInt(text));
      case 'i' -> new FieldValue.UnsignedIntValue(Long.parseLong(text));
      case 'l', 'L' -> new FieldValue.LongValue(Long.parseLong(text));
      case 'f' -> new FieldValue.FloatValue(Float.parseFloat(text));
      case 'd' -> new FieldValue.DoubleValue(Double.parseDouble(text));
      case 'D' -> decimal(text);
      case 'T' -> new FieldValue.TimestampValue(Long.parseLong(text));
      default -> null;
    };
  }

  private static FieldValue bool(String text) {
    if (text.equals("true")) {
      return new FieldValue.BooleanValue(true);
    }
    return text.equals("false") ? new FieldValue.BooleanValue(false) : null;
  }

  /** A decimal whose scale fits an octet and unscaled value 32 bits, as AMQP's decimal. */
  private static FieldValue decimal(String text) {
    if (text.length() > MAX_DECIMAL_TEXT) {
      return null;
    }
    BigDecimal decimal = new BigDecimal(text);
    BigInteger unscaled = decimal.unscaledValue();
    if (decimal.scale() < 0 || decimal.scale() > 0xFF || unscaled.bitLength() > 31) {
      return null;
    }
    return new FieldValue.DecimalValue(decimal.scale(), unscaled.intValue());
  }

  /**
   * A table or array from its wire encoding, read as a value of the headers table is read (the same
   * nesting limit), or null if the bytes are not exactly one such value.
   */
  private static FieldValue fromWire(byte tag, byte[] value) {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {tag}, value);
    try {
      FieldValue read = FieldValue.read(in, 0);
      return in.isReadable() ? null : read;
    } catch (AmqpException | IndexOutOfBoundsException e) {
      return null;
    } finally {
      in.release();
    }
  }
}
