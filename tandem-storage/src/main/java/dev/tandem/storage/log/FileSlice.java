package dev.tandem.storage.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A range of a segment file holding whole record batches, except that the last batch may be cut
 * short by the byte limit of the read, as in Kafka's fetch responses. The Kafka fetch path sends it
 * with zero copy ({@code FileRegion}); other readers copy it with {@link #readInto}.
 *
 * <p>The channel belongs to the segment; a slice never closes it. A segment deleted by retention
 * stays readable for a grace period so that slices in flight complete.
 *
 * @param channel the segment file
 * @param position first byte of the slice
 * @param size bytes in the slice, 0 when there is nothing to read
 * @param firstOffset offset the read asked for
 */
public record FileSlice(FileChannel channel, long position, int size, long firstOffset) {
  public static FileSlice empty(long offset) {
    return new FileSlice(null, 0, 0, offset);
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Copies the whole slice into a new heap buffer, positioned at 0. */
  public ByteBuffer readAll() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    readInto(buffer);
    return buffer.flip();
  }

  /** Copies as much of the slice as fits into {@code buffer}. */
  public void readInto(ByteBuffer buffer) throws IOException {
    long at = position;
    long end = position + Math.min(size, buffer.remaining());
    while (at < end) {
      int limit = buffer.limit();
      buffer.limit(buffer.position() + (int) (end - at));
      int read = channel.read(buffer, at);
      buffer.limit(limit);
      if (read < 0) {
        throw new IOException("segment ended at " + at + " inside a slice ending at " + end);
      }
      at += read;
    }
  }
}
