package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.bit;
import static dev.tandem.amqp.codec.WireTypes.isSet;
import static dev.tandem.amqp.codec.WireTypes.readShortString;
import static dev.tandem.amqp.codec.WireTypes.writeShort;
import static dev.tandem.amqp.codec.WireTypes.writeShortString;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Class {@code exchange} (40): declare, delete, and RabbitMQ's exchange-to-exchange bind and
 * unbind. {@code ticket} is reserved in 0-9-1.
 */
public sealed interface ExchangeMethod extends AmqpMethod {
  int CLASS_ID = 40;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Declare(
      int ticket,
      String exchange,
      String type,
      boolean passive,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      boolean noWait,
      FieldTable arguments)
      implements ExchangeMethod {
    public static final int METHOD_ID = 10;

    public Declare {
      requireNonNull(exchange, "exchange");
      requireNonNull(type, "type");
      requireNonNull(arguments, "arguments");
    }

    static Declare decode(ByteBuf in) {
      int ticket = in.readUnsignedShort();
      String exchange = readShortString(in);
      String type = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Declare(
          ticket,
          exchange,
          type,
          isSet(bits, 0),
          isSet(bits, 1),
          isSet(bits, 2),
          isSet(bits, 3),
          isSet(bits, 4),
          FieldTable.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, exchange);
      writeShortString(out, type);
      out.writeByte(
          bit(0, passive)
              | bit(1, durable)
              | bit(2, autoDelete)
              | bit(3, internal)
              | bit(4, noWait));
      arguments.write(out);
    }
  }

  record DeclareOk() implements ExchangeMethod {
    public static final int METHOD_ID = 11;
    public static final DeclareOk INSTANCE = new DeclareOk();

    static DeclareOk decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }

  record Delete(int ticket, String exchange, boolean ifUnused, boolean noWait)
      implements ExchangeMethod {
    public static final int METHOD_ID = 20;

    public Delete {
      requireNonNull(exchange, "exchange");
    }

    static Delete decode(ByteBuf in) {
      int ticket = in.readUnsignedShort();
      String exchange = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Delete(ticket, exchange, isSet(bits, 0), isSet(bits, 1));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, exchange);
      out.writeByte(bit(0, ifUnused) | bit(1, noWait));
    }
  }

  record DeleteOk() implements ExchangeMethod {
    public static final int METHOD_ID = 21;
    public static final DeleteOk INSTANCE = new DeleteOk();

    static DeleteOk decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }

  /** RabbitMQ extension: routes from {@code source} to the exchange {@code destination}. */
  record Bind(
      int ticket,
      String destination,
      String source,
      String routingKey,
      boolean noWait,
      FieldTable arguments)
      implements ExchangeMethod {
    public static final int METHOD_ID = 30;

    public Bind {
      requireNonNull(destination, "destination");
      requireNonNull(source, "source");
      requireNonNull(routingKey, "routingKey");
      requireNonNull(arguments, "arguments");
    }

    static Bind decode(ByteBuf in) {
      return new Bind(
          in.readUnsignedShort(),
          readShortString(in),
          readShortString(in),
          readShortString(in),
          isSet(in.readUnsignedByte(), 0),
          FieldTable.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, destination);
      writeShortString(out, source);
      writeShortString(out, routingKey);
      out.writeByte(bit(0, noWait));
      arguments.write(out);
    }
  }

  record BindOk() implements ExchangeMethod {
    public static final int METHOD_ID = 31;
    public static final BindOk INSTANCE = new BindOk();

    static BindOk decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }

  /** RabbitMQ extension: removes an exchange-to-exchange binding. */
  record Unbind(
      int ticket,
      String destination,
      String source,
      String routingKey,
      boolean noWait,
      FieldTable arguments)
      implements ExchangeMethod {
    public static final int METHOD_ID = 40;

    public Unbind {
      requireNonNull(destination, "destination");
      requireNonNull(source, "source");
      requireNonNull(routingKey, "routingKey");
      requireNonNull(arguments, "arguments");
    }

    static Unbind decode(ByteBuf in) {
      return new Unbind(
          in.readUnsignedShort(),
          readShortString(in),
          readShortString(in),
          readShortString(in),
          isSet(in.readUnsignedByte(), 0),
          FieldTable.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, destination);
      writeShortString(out, source);
      writeShortString(out, routingKey);
      out.writeByte(bit(0, noWait));
      arguments.write(out);
    }
  }

  /** Method id 51, not 41, as in RabbitMQ's spec and the clients. */
  record UnbindOk() implements ExchangeMethod {
    public static final int METHOD_ID = 51;
    public static final UnbindOk INSTANCE = new UnbindOk();

    static UnbindOk decode(ByteBuf in) {
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
