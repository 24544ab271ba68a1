package dev.tandem.amqp.codec;

import java.util.Objects;

/** A method frame (type 1): one decoded method on a channel. Immutable. */
public record MethodFrame(int channel, AmqpMethod method) implements AmqpFrame {
  public MethodFrame {
    Objects.requireNonNull(method, "method");
  }
}
