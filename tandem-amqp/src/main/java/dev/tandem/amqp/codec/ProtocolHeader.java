package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The eight bytes a client sends before any frame (§4.2.2):
 *
 * <pre>
 *   +---+---+---+---+------+------+-------+----------+
 *   | A | M | Q | P |  0   |  0   |   9   |    1     |
 *   +---+---+---+---+------+------+-------+----------+
 *     "AMQP"         id     major   minor   revision
 * </pre>
 *
 * <p>A server that does not support the header it receives answers with the header it supports
 * ({@link #writeSupported(ByteBuf)}) and closes the socket. As RabbitMQ does, the 0-9 header {@code
 * AMQP 1 1 0 9} is accepted too and served as 0-9-1.
 *
 * <p>The bytes are held in one {@code long}, so reading a header allocates nothing. Immutable.
 */
public record ProtocolHeader(long bytes) {
  /** The length of a protocol header. */
  public static final int LENGTH = 8;

  /** {@code AMQP 0 0 9 1}. */
  public static final ProtocolHeader AMQP_0_9_1 = new ProtocolHeader(0x414D5150_00000901L);

  /** {@code AMQP 1 1 0 9}, the 0-9 header, which RabbitMQ serves as 0-9-1. */
  public static final ProtocolHeader AMQP_0_9 = new ProtocolHeader(0x414D5150_01010009L);

  private static final long AMQP_PREFIX = 0x414D5150_00000000L;
  private static final long PREFIX_MASK = 0xFFFFFFFF_00000000L;

  /** Reads the next eight bytes, which must be readable. */
  public static ProtocolHeader read(ByteBuf in) {
    return new ProtocolHeader(in.readLong());
  }

  /** Writes {@code AMQP 0 0 9 1}: the answer to an unsupported header. */
  public static void writeSupported(ByteBuf out) {
    AMQP_0_9_1.write(out);
  }

  public void write(ByteBuf out) {
    out.writeLong(bytes);
  }

  /** Whether this header asks for a protocol Tandem serves: AMQP 0-9-1 (or 0-9). */
  public boolean isSupported() {
    return bytes == AMQP_0_9_1.bytes || bytes == AMQP_0_9.bytes;
  }

  /** Whether the header starts with {@code "AMQP"}, whatever the version. */
  public boolean isAmqp() {
    return (bytes & PREFIX_MASK) == AMQP_PREFIX;
  }

  /** For logs: {@code "AMQP 0 0 9 1"}, or the bytes in hex when it is not AMQP at all. */
  @Override
  public String toString() {
    if (!isAmqp()) {
      return String.format("0x%016X", bytes);
    }
    byte[] prefix = {
      (byte) (bytes >>> 56), (byte) (bytes >>> 48), (byte) (bytes >>> 40), (byte) (bytes >>> 32)
    };
    return new String(prefix, StandardCharsets.US_ASCII)
        + " "
        + ((bytes >>> 24) & 0xFF)
        + " "
        + ((bytes >>> 16) & 0xFF)
        + " "
        + ((bytes >>> 8) & 0xFF)
        + " "
        + (bytes & 0xFF);
  }
}
