package dev.tandem.amqp.codec;

/**
 * A decoded frame, as {@link AmqpFrameDecoder} emits it. {@link ContentHeaderFrame} and {@link
 * ContentBodyFrame} hold buffers and must be released by whoever consumes them; the other two hold
 * none.
 */
public sealed interface AmqpFrame
    permits MethodFrame, ContentHeaderFrame, ContentBodyFrame, HeartbeatFrame {
  /** The channel the frame was sent on; 0 is the connection itself. */
  int channel();
}
