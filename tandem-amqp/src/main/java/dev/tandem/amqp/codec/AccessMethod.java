package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.bit;
import static dev.tandem.amqp.codec.WireTypes.isSet;
import static dev.tandem.amqp.codec.WireTypes.readShortString;
import static dev.tandem.amqp.codec.WireTypes.writeShort;
import static dev.tandem.amqp.codec.WireTypes.writeShortString;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Class {@code access} (30), kept from AMQP 0-8: still in RabbitMQ's spec and the Java client, so a
 * legacy client that sends {@code access.request} can be answered with a ticket.
 */
public sealed interface AccessMethod extends AmqpMethod {
  int CLASS_ID = 30;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Request(
      String realm, boolean exclusive, boolean passive, boolean active, boolean write, boolean read)
      implements AccessMethod {
    public static final int METHOD_ID = 10;

    public Request {
      requireNonNull(realm, "realm");
    }

    static Request decode(ByteBuf in) {
      String realm = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Request(
          realm, isSet(bits, 0), isSet(bits, 1), isSet(bits, 2), isSet(bits, 3), isSet(bits, 4));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, realm);
      out.writeByte(
          bit(0, exclusive) | bit(1, passive) | bit(2, active) | bit(3, write) | bit(4, read));
    }
  }

  record RequestOk(int ticket) implements AccessMethod {
    public static final int METHOD_ID = 11;

    static RequestOk decode(ByteBuf in) {
      return new RequestOk(in.readUnsignedShort());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
    }
  }
}
