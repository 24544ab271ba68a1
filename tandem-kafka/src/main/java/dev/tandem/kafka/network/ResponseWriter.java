package dev.tandem.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Serialises one response frame into the parts a channel writes in order: byte buffers for the
 * header and fields, and a {@link SegmentFileRegion} for each fetched file slice, so stored batches
 * go from the page cache to the socket with zero copy.
 *
 * <pre>
 *   size            int32   bytes after this field
 *   header          ResponseHeader at the version the request's api version implies
 *   body            the response message at the request's api version
 * </pre>
 *
 * Not thread-safe; one instance writes one response.
 */
final class ResponseWriter implements Writable {
  private final ByteBufAllocator allocator;
  private final List<Object> parts = new ArrayList<>();
  private ByteBuf current;

  private ResponseWriter(ByteBufAllocator allocator, int initialCapacity) {
    this.allocator = allocator;
    this.current = allocator.heapBuffer(initialCapacity);
  }

  static List<Object> write(
      ByteBufAllocator allocator,
      int correlationId,
      short headerVersion,
      short version,
      ApiMessage body) {
    ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int size = header.size(cache, headerVersion) + body.size(cache, version);
    ResponseWriter writer = new ResponseWriter(allocator, Math.min(4 + size, 64 * 1024));
    writer.writeInt(size);
    header.write(writer, cache, headerVersion);
    body.write(writer, cache, version);
    writer.parts.add(writer.current);
    return writer.parts;
  }

  @Override
  public void writeRecords(BaseRecords records) {
    if (records instanceof FileSliceRecords file) {
      if (file.sizeInBytes() > 0) {
        parts.add(current);
        parts.add(
            new SegmentFileRegion(
                file.slice().channel(), file.slice().position(), file.slice().size()));
        current = allocator.heapBuffer(256);
      }
    } else if (records instanceof MemoryRecords memory) {
      writeByteBuffer(memory.buffer());
    } else {
      throw new IllegalArgumentException("cannot write records of " + records.getClass());
    }
  }

  @Override
  public void writeByte(byte val) {
    current.writeByte(val);
  }

  @Override
  public void writeShort(short val) {
    current.writeShort(val);
  }

  @Override
  public void writeInt(int val) {
    current.writeInt(val);
  }

  @Override
  public void writeLong(long val) {
    current.writeLong(val);
  }

  @Override
  public void writeDouble(double val) {
    current.writeDouble(val);
  }

  @Override
  public void writeByteArray(byte[] arr) {
    current.writeBytes(arr);
  }

  @Override
  public void writeUnsignedVarint(int i) {
    int value = i;
    while ((value & 0xFFFFFF80) != 0) {
      current.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    current.writeByte(value);
  }

  @Override
  public void writeByteBuffer(ByteBuffer buf) {
    current.writeBytes(buf.duplicate());
  }

  @Override
  public void writeVarint(int i) {
    writeUnsignedVarint((i << 1) ^ (i >> 31));
  }

  @Override
  public void writeVarlong(long i) {
    long value = (i << 1) ^ (i >> 63);
    while ((value & 0xFFFFFFFFFFFFFF80L) != 0L) {
      current.writeByte(((int) value & 0x7F) | 0x80);
      value >>>= 7;
    }
    current.writeByte((int) value);
  }
}
