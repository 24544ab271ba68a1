package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A typed value in a field table or field array (§4.2.5.5), with the type tags that RabbitMQ and
 * its clients actually use (the RabbitMQ errata, "Field types"; they differ from the 0-9-1 PDF):
 *
 * <pre>
 *   tag  type                     value bytes
 *   't'  boolean                  1 (0 = false, anything else = true)
 *   'b'  signed 8-bit             1
 *   'B'  unsigned 8-bit           1
 *   's'  signed 16-bit            2
 *   'u'  unsigned 16-bit          2
 *   'I'  signed 32-bit            4
 *   'i'  unsigned 32-bit          4
 *   'l'  signed 64-bit            8   ('L' is read as the same type and written back as 'l')
 *   'f'  32-bit IEEE float        4
 *   'd'  64-bit IEEE float        8
 *   'D'  decimal                  1 scale + 4 unscaled value
 *   'S'  long string              4 length + bytes
 *   'x'  byte array               4 length + bytes
 *   'T'  timestamp (seconds)      8
 *   'F'  nested field table       4 length + entries
 *   'A'  field array              4 length + (tag, value)*
 *   'V'  void (no value)          0
 * </pre>
 *
 * <p>Each tag has its own type so that a decoded value is written back with the same tag and bytes.
 * Values are immutable.
 */
public sealed interface FieldValue {
  /** The type tag written before the value. */
  char tag();

  /** Writes the value bytes, without the tag. */
  void writeValue(ByteBuf out);

  /** Writes the tag, then the value. */
  default void write(ByteBuf out) {
    out.writeByte(tag());
    writeValue(out);
  }

  static FieldValue string(String value) {
    return new StringValue(LongString.of(value));
  }

  static FieldValue bool(boolean value) {
    return new BooleanValue(value);
  }

  static FieldValue int32(int value) {
    return new IntValue(value);
  }

  static FieldValue int64(long value) {
    return new LongValue(value);
  }

  static FieldValue table(FieldTable value) {
    return new TableValue(value);
  }

  static FieldValue array(FieldValue... values) {
    return new ArrayValue(List.of(values));
  }

  /**
   * Reads a tag and its value. {@code depth} counts the tables and arrays around it; past {@link
   * FieldTable#MAX_NESTING_DEPTH} the value is refused rather than risk the stack.
   */
  static FieldValue read(ByteBuf in, int depth) {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case 'S' -> new StringValue(LongString.read(in));
      case 'I' -> new IntValue(in.readInt());
      case 'F' -> new TableValue(FieldTable.read(in, depth + 1));
      case 't' -> new BooleanValue(in.readUnsignedByte() != 0);
      case 'l', 'L' -> new LongValue(in.readLong());
      case 'T' -> new TimestampValue(in.readLong());
      case 'A' -> ArrayValue.read(in, depth + 1);
      case 'b' -> new ByteValue(in.readByte());
      case 'B' -> new UnsignedByteValue(in.readUnsignedByte());
      case 's' -> new ShortValue(in.readShort());
      case 'u' -> new UnsignedShortValue(in.readUnsignedShort());
      case 'i' -> new UnsignedIntValue(in.readUnsignedInt());
      case 'f' -> new FloatValue(in.readFloat());
      case 'd' -> new DoubleValue(in.readDouble());
      case 'D' -> new DecimalValue(in.readUnsignedByte(), in.readInt());
      case 'x' -> new BytesValue(LongString.read(in));
      case 'V' -> VoidValue.INSTANCE;
      default ->
          throw AmqpException.frameError("unknown field value type 0x" + Integer.toHexString(tag));
    };
  }

  record BooleanValue(boolean value) implements FieldValue {
    @Override
    public char tag() {
      return 't';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeByte(value ? 1 : 0);
    }
  }

  record ByteValue(byte value) implements FieldValue {
    @Override
    public char tag() {
      return 'b';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeByte(value);
    }
  }

  record UnsignedByteValue(int value) implements FieldValue {
    public UnsignedByteValue {
      if ((value & ~0xFF) != 0) {
        throw new IllegalArgumentException("unsigned byte out of range: " + value);
      }
    }

    @Override
    public char tag() {
      return 'B';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeByte(value);
    }
  }

  record ShortValue(short value) implements FieldValue {
    @Override
    public char tag() {
      return 's';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeShort(value);
    }
  }

  record UnsignedShortValue(int value) implements FieldValue {
    public UnsignedShortValue {
      if ((value & ~0xFFFF) != 0) {
        throw new IllegalArgumentException("unsigned short out of range: " + value);
      }
    }

    @Override
    public char tag() {
      return 'u';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeShort(value);
    }
  }

  record IntValue(int value) implements FieldValue {
    @Override
    public char tag() {
      return 'I';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeInt(value);
    }
  }

  record UnsignedIntValue(long value) implements FieldValue {
    public UnsignedIntValue {
      if ((value & ~0xFFFF_FFFFL) != 0) {
        throw new IllegalArgumentException("unsigned int out of range: " + value);
      }
    }

    @Override
    public char tag() {
      return 'i';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeInt((int) value);
    }
  }

  record LongValue(long value) implements FieldValue {
    @Override
    public char tag() {
      return 'l';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeLong(value);
    }
  }

  record FloatValue(float value) implements FieldValue {
    @Override
    public char tag() {
      return 'f';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeFloat(value);
    }
  }

  record DoubleValue(double value) implements FieldValue {
    @Override
    public char tag() {
      return 'd';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeDouble(value);
    }
  }

  /** A decimal {@code unscaled / 10^scale}; the scale is one unsigned octet. */
  record DecimalValue(int scale, int unscaled) implements FieldValue {
    public DecimalValue {
      if ((scale & ~0xFF) != 0) {
        throw new IllegalArgumentException("decimal scale out of range: " + scale);
      }
    }

    public BigDecimal toBigDecimal() {
      return new BigDecimal(BigInteger.valueOf(unscaled), scale);
    }

    @Override
    public char tag() {
      return 'D';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeByte(scale);
      out.writeInt(unscaled);
    }
  }

  /** A long string: usually UTF-8 text, kept as bytes. */
  record StringValue(LongString value) implements FieldValue {
    public StringValue {
      Objects.requireNonNull(value, "value");
    }

    public String asString() {
      return value.asString();
    }

    @Override
    public char tag() {
      return 'S';
    }

    @Override
    public void writeValue(ByteBuf out) {
      value.write(out);
    }
  }

  record BytesValue(LongString value) implements FieldValue {
    public BytesValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char tag() {
      return 'x';
    }

    @Override
    public void writeValue(ByteBuf out) {
      value.write(out);
    }
  }

  /** Seconds since the epoch, as a 64-bit value. */
  record TimestampValue(long seconds) implements FieldValue {
    @Override
    public char tag() {
      return 'T';
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeLong(seconds);
    }
  }

  record TableValue(FieldTable value) implements FieldValue {
    public TableValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char tag() {
      return 'F';
    }

    @Override
    public void writeValue(ByteBuf out) {
      value.write(out);
    }
  }

  record ArrayValue(List<FieldValue> values) implements FieldValue {
    public ArrayValue {
      values = List.copyOf(values);
    }

    static ArrayValue read(ByteBuf in, int depth) {
      FieldTable.checkDepth(depth);
      int length = WireTypes.readLength(in, "field array");
      ByteBuf items = in.readSlice(length);
      List<FieldValue> values = new ArrayList<>();
      while (items.isReadable()) {
        values.add(FieldValue.read(items, depth));
      }
      return new ArrayValue(values);
    }

    @Override
    public char tag() {
      return 'A';
    }

    @Override
    public void writeValue(ByteBuf out) {
      int lengthIndex = out.writerIndex();
      out.writeInt(0);
      for (FieldValue value : values) {
        value.write(out);
      }
      out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
    }
  }

  /** No value: the 'V' tag alone. */
  record VoidValue() implements FieldValue {
    public static final VoidValue INSTANCE = new VoidValue();

    @Override
    public char tag() {
      return 'V';
    }

    @Override
    public void writeValue(ByteBuf out) {}
  }
}
