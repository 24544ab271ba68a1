package dev.tandem.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Writes one response frame:
 *
 * <pre>
 *   size            int32   bytes after this field
 *   header          ResponseHeader at the version the request's api version implies
 *   body            the response message at the request's api version
 * </pre>
 *
 * Stateless.
 */
final class ResponseEncoder {
  private ResponseEncoder() {}

  static ByteBuf encode(
      ByteBufAllocator allocator,
      int correlationId,
      short headerVersion,
      short version,
      ApiMessage body) {
    ResponseHeaderData responseHeader = new ResponseHeaderData().setCorrelationId(correlationId);
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int headerSize = responseHeader.size(cache, headerVersion);
    int bodySize = body.size(cache, version);
    ByteBuf frame = allocator.heapBuffer(4 + headerSize + bodySize);
    ByteBuffer nio = frame.nioBuffer(0, frame.capacity());
    nio.putInt(headerSize + bodySize);
    ByteBufferAccessor accessor = new ByteBufferAccessor(nio);
    responseHeader.write(accessor, cache, headerVersion);
    body.write(accessor, cache, version);
    frame.writerIndex(4 + headerSize + bodySize);
    return frame;
  }
}
