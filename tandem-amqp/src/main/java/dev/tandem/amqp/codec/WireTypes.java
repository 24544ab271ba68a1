package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The primitive data types of AMQP 0-9-1 (§4.2.5), all big-endian:
 *
 * <pre>
 *   octet      1 byte, unsigned
 *   short      2 bytes, unsigned
 *   long       4 bytes, unsigned
 *   longlong   8 bytes (delivery tags, body sizes: treated as signed Java longs)
 *   timestamp  8 bytes, seconds since the epoch
 *   bit        packed into octets, least significant bit first (§4.2.5.2)
 *   shortstr   +-------+----------------+      longstr  +-----------+----------------+
 *              | len:1 | len bytes UTF-8 |              | len:4 (u) | len bytes      |
 *              +-------+----------------+               +-----------+----------------+
 * </pre>
 *
 * <p>Readers never allocate from a length they have not checked against the bytes actually there: a
 * length longer than the rest of the frame is a 501 FRAME_ERROR. Writers reject values that do not
 * fit their type with {@link IllegalArgumentException}: that is a bug in the caller, not in the
 * peer. Short strings are decoded strictly as UTF-8, as RabbitMQ does for method fields.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireTypes {
  /** The most bytes a short string can carry. */
  public static final int MAX_SHORT_STRING = 255;

  private WireTypes() {}

  public static void writeOctet(ByteBuf out, int value) {
    if ((value & ~0xFF) != 0) {
      throw new IllegalArgumentException("octet out of range: " + value);
    }
    out.writeByte(value);
  }

  public static void writeShort(ByteBuf out, int value) {
    if ((value & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("short out of range: " + value);
    }
    out.writeShort(value);
  }

  /** Writes an unsigned 32-bit {@code long} field. */
  public static void writeLong(ByteBuf out, long value) {
    if ((value & ~0xFFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("long out of range: " + value);
    }
    out.writeInt((int) value);
  }

  /** One bit of a packed bit field: {@code bit(2, true) == 0b100}. */
  public static int bit(int index, boolean value) {
    return value ? 1 << index : 0;
  }

  /** Whether bit {@code index} is set in a packed bit-field octet. */
  public static boolean isSet(int bits, int index) {
    return (bits & (1 << index)) != 0;
  }

  /** Reads a short string, checking that it is well-formed UTF-8. */
  public static String readShortString(ByteBuf in) {
    int length = in.readUnsignedByte();
    checkReadable(in, length, "shortstr");
    int start = in.readerIndex();
    if (!ByteBufUtil.isText(in, start, length, StandardCharsets.UTF_8)) {
      throw AmqpException.frameError("malformed UTF-8 in shortstr");
    }
    String value = in.toString(start, length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return value;
  }

  /** Writes a short string; unpaired surrogates become {@code '?'}, as in the Java client. */
  public static void writeShortString(ByteBuf out, String value) {
    int length = ByteBufUtil.utf8Bytes(value);
    if (length > MAX_SHORT_STRING) {
      throw new IllegalArgumentException(
          "short string of " + length + " UTF-8 bytes, max " + MAX_SHORT_STRING);
    }
    out.writeByte(length);
    ByteBufUtil.writeUtf8(out, value);
  }

  /** Reads the length of a long string or table and checks that many bytes follow. */
  public static int readLength(ByteBuf in, String what) {
    long length = in.readUnsignedInt();
    checkReadable(in, length, what);
    return (int) length;
  }

  /** Throws 501 FRAME_ERROR unless {@code length} bytes remain in {@code in}. */
  public static void checkReadable(ByteBuf in, long length, String what) {
    if (length > in.readableBytes()) {
      throw AmqpException.frameError(
          what + " of " + length + " bytes runs past the end of the frame");
    }
  }
}
