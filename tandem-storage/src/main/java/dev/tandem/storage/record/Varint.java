package dev.tandem.storage.record;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers as in Protocol Buffers, the encoding of Kafka record fields.
 * Stateless.
 */
public final class Varint {
  private Varint() {}

  public static void writeInt(ByteBuffer buffer, int value) {
    int v = (value << 1) ^ (value >> 31);
    while ((v & 0xFFFFFF80) != 0) {
      buffer.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buffer.put((byte) v);
  }

  public static void writeLong(ByteBuffer buffer, long value) {
    long v = (value << 1) ^ (value >> 63);
    while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
      buffer.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buffer.put((byte) v);
  }

  public static int readInt(ByteBuffer buffer) {
    int raw = 0;
    int shift = 0;
    byte b;
    do {
      if (shift > 28) {
        throw new IllegalArgumentException("varint longer than 5 bytes");
      }
      b = buffer.get();
      raw |= (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return (raw >>> 1) ^ -(raw & 1);
  }

  public static long readLong(ByteBuffer buffer) {
    long raw = 0;
    int shift = 0;
    byte b;
    do {
      if (shift > 63) {
        throw new IllegalArgumentException("varlong longer than 10 bytes");
      }
      b = buffer.get();
      raw |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return (raw >>> 1) ^ -(raw & 1);
  }

  public static int sizeOfInt(int value) {
    int v = (value << 1) ^ (value >> 31);
    int bytes = 1;
    while ((v & 0xFFFFFF80) != 0) {
      bytes++;
      v >>>= 7;
    }
    return bytes;
  }

  public static int sizeOfLong(long value) {
    long v = (value << 1) ^ (value >> 63);
    int bytes = 1;
    while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
      bytes++;
      v >>>= 7;
    }
    return bytes;
  }
}
