package dev.tandem.storage.record;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.xerial.snappy.Snappy;

/**
 * The codecs a Kafka record batch may be compressed with (attributes bits 0-2), for reading. Each
 * inflates the records section of a batch (everything after the 61-byte header, compressed as a
 * whole) in the format kafka-clients writes:
 *
 * <pre>
 *   id  codec   records section
 *   1   gzip    gzip members (RFC 1952)
 *   2   snappy  xerial framing, below; or one raw snappy block without framing, which
 *               kafka-clients reads too and some non-Java clients write
 *   3   lz4     LZ4 frames, with the correct header checksum of magic v1 and later (KIP-57)
 *   4   zstd    zstd frames (RFC 8878)
 *
 *   xerial snappy framing (integers big-endian):
 *   magic    8 bytes  0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
 *   version  int32
 *   compat   int32    oldest version that can read the stream
 *   chunks   [length int32, raw snappy block of length bytes] ...
 *            a length equal to the magic's first four bytes starts another stream (header
 *            and chunks), as when two framed streams are concatenated
 * </pre>
 *
 * The result is a heap buffer of at most a caller's bound: output beyond it stops the decoder, so a
 * small batch that inflates to gigabytes costs no more than the bound (plus each decoder's fixed
 * working memory: LZ4 blocks of at most 4 MiB, a zstd window of at most 128 MiB, zstd's limit).
 * Malformed input and output beyond the bound are reported as {@link IllegalArgumentException}.
 * Stateless and thread-safe: each call opens and closes its own decoder.
 */
enum CompressionCodec {
  GZIP(1, "gzip") {
    @Override
    boolean inflate(byte[] in, int offset, int length, BoundedOutput out) throws IOException {
      try (InputStream stream = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
        return out.readAll(stream);
      }
    }
  },
  SNAPPY(2, "snappy") {
    @Override
    boolean inflate(byte[] in, int offset, int length, BoundedOutput out) throws IOException {
      if (length < XERIAL_HEADER_SIZE
          || !Arrays.equals(
              in, offset, offset + XERIAL_MAGIC.length, XERIAL_MAGIC, 0, XERIAL_MAGIC.length)) {
        return inflateSnappyBlock(in, offset, length, out);
      }
      int end = offset + length;
      int at = offset + XERIAL_HEADER_SIZE;
      while (at < end) {
        if (end - at < Integer.BYTES) {
          throw new IOException("snappy chunk length truncated");
        }
        int chunk = ByteBuffer.wrap(in, at, Integer.BYTES).getInt();
        at += Integer.BYTES;
        if (chunk == XERIAL_MAGIC_HEAD) {
          at += XERIAL_HEADER_SIZE - Integer.BYTES;
        } else if (chunk < 0 || chunk > end - at) {
          throw new IOException("snappy chunk of " + chunk + " bytes, " + (end - at) + " left");
        } else if (inflateSnappyBlock(in, at, chunk, out)) {
          at += chunk;
        } else {
          return false;
        }
      }
      if (at > end) {
        throw new IOException("snappy stream header truncated");
      }
      return true;
    }
  },
  LZ4(3, "lz4") {
    @Override
    boolean inflate(byte[] in, int offset, int length, BoundedOutput out) throws IOException {
      try (InputStream stream =
          new LZ4FrameInputStream(new ByteArrayInputStream(in, offset, length))) {
        return out.readAll(stream);
      }
    }
  },
  ZSTD(4, "zstd") {
    @Override
    boolean inflate(byte[] in, int offset, int length, BoundedOutput out) throws IOException {
      // The NoFinalizer variant frees its native context only on close.
      try (InputStream stream =
          new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(in, offset, length))) {
        return out.readAll(stream);
      }
    }
  };

  private static final byte[] XERIAL_MAGIC = {
    (byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0,
  };
  private static final int XERIAL_MAGIC_HEAD = ByteBuffer.wrap(XERIAL_MAGIC).getInt();
  private static final int XERIAL_HEADER_SIZE = XERIAL_MAGIC.length + 2 * Integer.BYTES;

  /** The most one byte of a snappy block can inflate to: 64 / 3, rounded up. */
  private static final long SNAPPY_MAX_RATIO = 22;

  private final int id;
  private final String label;

  CompressionCodec(int id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The codec with Kafka's compression id {@code id}, 1 to 4. */
  static CompressionCodec of(int id) {
    for (CompressionCodec codec : values()) {
      if (codec.id == id) {
        return codec;
      }
    }
    throw new IllegalArgumentException("unknown compression codec " + id);
  }

  /**
   * Inflates {@code compressed}, from its position to its limit, into a new buffer of at most
   * {@code maxBytes} bytes. Leaves {@code compressed} as it was.
   *
   * @throws IllegalArgumentException when the data is malformed or inflates past {@code maxBytes}
   */
  ByteBuffer decompress(ByteBuffer compressed, int maxBytes) {
    int length = compressed.remaining();
    byte[] in;
    int offset;
    if (compressed.hasArray()) {
      in = compressed.array();
      offset = compressed.arrayOffset() + compressed.position();
    } else {
      in = new byte[length];
      compressed.duplicate().get(in);
      offset = 0;
    }
    BoundedOutput out = new BoundedOutput(maxBytes, length);
    boolean whole;
    try {
      whole = inflate(in, offset, length, out);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed " + label + " data: " + e.getMessage(), e);
    }
    if (!whole) {
      throw new IllegalArgumentException("decompressed batch larger than " + maxBytes + " bytes");
    }
    return ByteBuffer.wrap(out.bytes, 0, out.size);
  }

  /**
   * Inflates {@code length} bytes of {@code in} from {@code offset} into {@code out}; false, having
   * stopped, when they inflate to more than {@code out} may hold.
   */
  abstract boolean inflate(byte[] in, int offset, int length, BoundedOutput out) throws IOException;

  /**
   * One raw snappy block. Its uncompressed length, a varint at its start, is checked before the
   * output grows to it: against the bound, and against the most that many bytes can inflate to (a
   * 3-byte copy yields at most 64 bytes), so that garbage cannot make it allocate the bound.
   */
  private static boolean inflateSnappyBlock(byte[] in, int offset, int length, BoundedOutput out)
      throws IOException {
    int size = Snappy.uncompressedLength(in, offset, length);
    if (size < 0 || size > SNAPPY_MAX_RATIO * length) {
      throw new IOException(
          "snappy block of " + length + " bytes announces " + Integer.toUnsignedString(size));
    }
    if (!out.reserve(size)) {
      return false;
    }
    int written = Snappy.uncompress(in, offset, length, out.bytes, out.size);
    if (written != size) {
      throw new IOException("snappy block of " + written + " bytes, " + size + " announced");
    }
    out.size += written;
    return true;
  }

  /** A byte array that grows as the decoder writes, never past a bound. Not thread-safe. */
  private static final class BoundedOutput {
    private static final int MIN_CAPACITY = 1024;

    private final int maxBytes;
    private byte[] bytes;
    private int size;

    BoundedOutput(int maxBytes, int compressedBytes) {
      this.maxBytes = maxBytes;
      this.bytes = new byte[(int) Math.min(maxBytes, Math.max(MIN_CAPACITY, 4L * compressedBytes))];
    }

    /** Reads {@code in} to its end; false, having stopped, when it holds more than the bound. */
    boolean readAll(InputStream in) throws IOException {
      while (true) {
        if (size == bytes.length && !reserve(1)) {
          return in.read() == -1;
        }
        int read = in.read(bytes, size, bytes.length - size);
        if (read < 0) {
          return true;
        }
        size += read;
      }
    }

    /** Makes room for {@code more} bytes; false when they would pass the bound. */
    boolean reserve(int more) {
      if (more > maxBytes - size) {
        return false;
      }
      if (more > bytes.length - size) {
        long capacity = Math.max((long) size + more, 2L * bytes.length);
        bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, capacity));
      }
      return true;
    }
  }
}
