package dev.tandem.kafka.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A range of a segment file sent with sendfile: Netty's own file region, which both transports send
 * without a copy (epoll natively, NIO with {@code FileChannel.transferTo}), except that it never
 * closes the channel, which belongs to the segment and is shared by every reader. A segment that
 * shrank below the range fails the write. Not thread-safe; owned by the channel writing it.
 */
final class SegmentFileRegion extends DefaultFileRegion {
  SegmentFileRegion(FileChannel file, long position, long count) {
    super(file, position, count);
  }

  @Override
  protected void deallocate() {}
}
