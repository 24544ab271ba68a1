package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.BasicProperties;
import dev.tandem.amqp.codec.ContentBodyFrame;
import dev.tandem.amqp.codec.ContentHeaderFrame;
import dev.tandem.amqp.codec.ReplyCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;

/**
 * Assembles a content-bearing method (basic.publish), its content header and its body frames into a
 * {@link Publication} (§4.2.6): a method frame, then exactly one content header, then body frames
 * until body-size bytes have arrived (none for an empty body). Anything else in between is 505
 * UNEXPECTED_FRAME, a connection error; more body than body-size is 501 FRAME_ERROR; a body-size
 * over the maximum message size is 406 PRECONDITION_FAILED (RabbitMQ's text), refused at the header
 * before any of the body is buffered.
 *
 * <p>The body is copied out of the frames (core stores arrays) into an array that grows with what
 * actually arrives, so a header announcing a large body costs nothing until the body comes.
 *
 * <p>Not thread-safe: one per channel, on the connection's event loop.
 */
final class ContentAssembler {
  private static final int INITIAL_CAPACITY = 64 * 1024;

  private final int channel;
  private final long maxMessageSize;
  private BasicMethod.Publish method;
  private BasicProperties properties;
  private byte[] rawProperties;
  private long bodySize = -1;
  private byte[] body;
  private int received;

  ContentAssembler(int channel, long maxMessageSize) {
    this.channel = channel;
    this.maxMessageSize = maxMessageSize;
  }

  /** Whether a method's content is still expected: any other method now is out of order. */
  boolean inProgress() {
    return method != null;
  }

  /** The text of the 505 for a method frame that arrived while content was expected. */
  String unexpectedMethod() {
    return bodySize < 0
        ? "expected content header for class 60, got non content header frame instead"
        : "expected content body, got non content body frame instead";
  }

  void begin(BasicMethod.Publish publish) {
    method = publish;
  }

  /** Takes a content header; returns the publication if the body is empty, else null. */
  Publication onHeader(ContentHeaderFrame header) {
    if (method == null) {
      throw unexpected("expected method frame, got non method frame instead");
    }
    if (bodySize >= 0) {
      throw unexpected("expected content body, got non content body frame instead");
    }
    long size = header.bodySize();
    if (size < 0 || size > maxMessageSize) {
      String declared = size < 0 ? Long.toUnsignedString(size) : Long.toString(size);
      reset();
      throw new AmqpException(
          ReplyCode.PRECONDITION_FAILED,
          "message size " + declared + " is larger than configured max size " + maxMessageSize);
    }
    properties = header.properties();
    rawProperties = ByteBufUtil.getBytes(header.rawProperties());
    bodySize = size;
    return size == 0 ? complete() : null;
  }

  /** Takes a body frame; returns the publication once the whole body has arrived, else null. */
  Publication onBody(ContentBodyFrame frame) {
    if (method == null) {
      throw unexpected("expected method frame, got non method frame instead");
    }
    if (bodySize < 0) {
      throw unexpected(
          "expected content header for class 60, got non content header frame instead");
    }
    ByteBuf bytes = frame.content();
    int length = bytes.readableBytes();
    if (length > bodySize - received) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "content body frame of "
              + length
              + " bytes exceeds the "
              + (bodySize - received)
              + " bytes left of body-size "
              + bodySize
              + " on channel "
              + channel);
    }
    ensureCapacity(received + length);
    bytes.getBytes(bytes.readerIndex(), body, received, length);
    received += length;
    return received == bodySize ? complete() : null;
  }

  private void ensureCapacity(int needed) {
    if (body == null) {
      body = new byte[(int) Math.min(bodySize, Math.max(needed, INITIAL_CAPACITY))];
    } else if (body.length < needed) {
      long grown = Math.max(needed, Math.min(bodySize, 2L * body.length));
      body = Arrays.copyOf(body, (int) grown);
    }
  }

  private Publication complete() {
    byte[] content = bodySize == 0 ? new byte[0] : body;
    Publication publication = new Publication(method, properties, rawProperties, content);
    reset();
    return publication;
  }

  /** Drops whatever was assembled. */
  void reset() {
    method = null;
    properties = null;
    rawProperties = null;
    bodySize = -1;
    body = null;
    received = 0;
  }

  private static AmqpException unexpected(String text) {
    return new AmqpException(ReplyCode.UNEXPECTED_FRAME, text);
  }
}
