package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * One AMQP 0-9-1 method: a record per method, grouped in one interface per class ({@link
 * ConnectionMethod}, {@link BasicMethod}, ...). Field names and order follow RabbitMQ's {@code
 * amqp-rabbitmq-0.9.1.json}, reserved fields included (kept so that a decoded method is written
 * back byte for byte).
 *
 * <p>A method frame's payload (§4.2.4):
 *
 * <pre>
 *   +-------------+--------------+------------------------------------------+
 *   | class-id:2  | method-id:2  | arguments, in spec order; bits packed    |
 *   +-------------+--------------+------------------------------------------+
 * </pre>
 *
 * <p>Implementations are immutable records; {@link MethodRegistry} decodes them.
 */
public sealed interface AmqpMethod
    permits ConnectionMethod,
        ChannelMethod,
        AccessMethod,
        ExchangeMethod,
        QueueMethod,
        BasicMethod,
        ConfirmMethod,
        TxMethod {

  int classId();

  int methodId();

  /** The spec name, {@code "basic.publish"}. */
  default String name() {
    return MethodRegistry.name(classId(), methodId());
  }

  /** Whether a content header and body frames follow this method (§4.2.6). */
  default boolean hasContent() {
    return false;
  }

  /** Writes the arguments, without the class and method ids. */
  void writeArguments(ByteBuf out);

  /** Writes the whole method frame payload: class id, method id, arguments. */
  default void write(ByteBuf out) {
    out.writeShort(classId());
    out.writeShort(methodId());
    writeArguments(out);
  }
}
