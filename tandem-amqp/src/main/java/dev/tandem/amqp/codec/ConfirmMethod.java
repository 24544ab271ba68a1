package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.bit;
import static dev.tandem.amqp.codec.WireTypes.isSet;

import io.netty.buffer.ByteBuf;

/** Class {@code confirm} (85), a RabbitMQ extension: publisher confirms on a channel. */
public sealed interface ConfirmMethod extends AmqpMethod {
  int CLASS_ID = 85;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Select(boolean noWait) implements ConfirmMethod {
    public static final int METHOD_ID = 10;

    static Select decode(ByteBuf in) {
      return new Select(isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(0, noWait));
    }
  }

  record SelectOk() implements ConfirmMethod {
    public static final int METHOD_ID = 11;
    public static final SelectOk INSTANCE = new SelectOk();

    static SelectOk decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }
}
