package dev.tandem.kafka.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of a segment file sent with {@code FileChannel.transferTo} (sendfile). Unlike Netty's
 * DefaultFileRegion it never closes the channel, which belongs to the segment and is shared by
 * every reader. Not thread-safe; owned by the channel writing it.
 */
final class SegmentFileRegion extends AbstractReferenceCounted implements FileRegion {
  private final FileChannel file;
  private final long position;
  private final long count;
  private long transferred;

  SegmentFileRegion(FileChannel file, long position, long count) {
    this.file = file;
    this.position = position;
    this.count = count;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  @Deprecated
  public long transfered() {
    return transferred;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long transferTo(WritableByteChannel target, long at) throws IOException {
    long remaining = count - at;
    if (remaining <= 0) {
      return 0;
    }
    long written = file.transferTo(position + at, remaining, target);
    if (written == 0 && file.size() < position + count) {
      throw new IOException("segment shrank below a fetch in flight");
    }
    transferred += written;
    return written;
  }

  @Override
  protected void deallocate() {}

  @Override
  public FileRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public FileRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public FileRegion touch() {
    return this;
  }

  @Override
  public FileRegion touch(Object hint) {
    return this;
  }
}
