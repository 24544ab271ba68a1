package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A long string (§4.2.5.3): up to 2^32-1 bytes that are usually, but not always, UTF-8 (SASL
 * responses and table values may be any bytes). Kept as bytes so that they round-trip exactly.
 *
 * <pre>
 *   +----------------+------------------+
 *   | length:4 (u32) | length bytes     |
 *   +----------------+------------------+
 * </pre>
 *
 * <p>Immutable by contract: {@link #of(byte[])} and {@link #bytes()} share the array without
 * copying, and neither side may change it afterwards.
 */
public final class LongString {
  public static final LongString EMPTY = new LongString(new byte[0]);

  private final byte[] bytes;

  private LongString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The UTF-8 encoding of {@code value}. */
  public static LongString of(String value) {
    return new LongString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps {@code bytes} without copying; the caller must not change them afterwards. */
  public static LongString of(byte[] bytes) {
    return new LongString(Objects.requireNonNull(bytes, "bytes"));
  }

  /** Reads a long string, checking its length against the bytes left before allocating. */
  public static LongString read(ByteBuf in) {
    int length = WireTypes.readLength(in, "longstr");
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return new LongString(bytes);
  }

  public void write(ByteBuf out) {
    out.writeInt(bytes.length);
    out.writeBytes(bytes);
  }

  /** The bytes, shared: do not modify. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  /** The bytes decoded as UTF-8, malformed sequences replaced. */
  public String asString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LongString that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return asString();
  }
}
