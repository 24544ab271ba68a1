package dev.tandem.amqp.codec;

import java.util.Objects;

/**
 * What {@link AmqpFrameDecoder} emits in place of a frame it cannot decode. The connection answers
 * it: {@code connection.close} with {@link AmqpException#replyCode()} (and the failing method's
 * ids), or {@code channel.close} for a soft error on a channel.
 *
 * <p>When {@code fatal}, framing is lost (a frame longer than frame-max, a bad frame-end octet, an
 * unknown frame type): the decoder has stopped reading and will emit nothing more, so the
 * connection sends its close and then closes the socket without waiting for {@code close-ok}. When
 * not fatal, the frame was well delimited but its payload was bad, and decoding goes on so that the
 * client's {@code connection.close-ok} can still be read.
 */
public record FrameError(int channel, AmqpException error, boolean fatal) {
  public FrameError {
    Objects.requireNonNull(error, "error");
  }

  public ReplyCode replyCode() {
    return error.replyCode();
  }
}
