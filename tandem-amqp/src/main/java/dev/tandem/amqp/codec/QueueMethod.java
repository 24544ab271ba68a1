package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.bit;
import static dev.tandem.amqp.codec.WireTypes.isSet;
import static dev.tandem.amqp.codec.WireTypes.readShortString;
import static dev.tandem.amqp.codec.WireTypes.writeLong;
import static dev.tandem.amqp.codec.WireTypes.writeShort;
import static dev.tandem.amqp.codec.WireTypes.writeShortString;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Class {@code queue} (50): declare, bind, purge, delete, unbind. {@code ticket} is reserved in
 * 0-9-1; message and consumer counts are unsigned 32-bit.
 */
public sealed interface QueueMethod extends AmqpMethod {
  int CLASS_ID = 50;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Declare(
      int ticket,
      String queue,
      boolean passive,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      boolean noWait,
      FieldTable arguments)
      implements QueueMethod {
    public static final int METHOD_ID = 10;

    public Declare {
      requireNonNull(queue, "queue");
      requireNonNull(arguments, "arguments");
    }

    static Declare decode(ByteBuf in) {
      int ticket = in.readUnsignedShort();
      String queue = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Declare(
          ticket,
          queue,
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
      writeShortString(out, queue);
      out.writeByte(
          bit(0, passive)
              | bit(1, durable)
              | bit(2, exclusive)
              | bit(3, autoDelete)
              | bit(4, noWait));
      arguments.write(out);
    }
  }

  record DeclareOk(String queue, long messageCount, long consumerCount) implements QueueMethod {
    public static final int METHOD_ID = 11;

    public DeclareOk {
      requireNonNull(queue, "queue");
    }

    static DeclareOk decode(ByteBuf in) {
      return new DeclareOk(readShortString(in), in.readUnsignedInt(), in.readUnsignedInt());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, queue);
      writeLong(out, messageCount);
      writeLong(out, consumerCount);
    }
  }

  record Bind(
      int ticket,
      String queue,
      String exchange,
      String routingKey,
      boolean noWait,
      FieldTable arguments)
      implements QueueMethod {
    public static final int METHOD_ID = 20;

    public Bind {
      requireNonNull(queue, "queue");
      requireNonNull(exchange, "exchange");
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
      writeShortString(out, queue);
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      out.writeByte(bit(0, noWait));
      arguments.write(out);
    }
  }

  record BindOk() implements QueueMethod {
    public static final int METHOD_ID = 21;
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

  record Purge(int ticket, String queue, boolean noWait) implements QueueMethod {
    public static final int METHOD_ID = 30;

    public Purge {
      requireNonNull(queue, "queue");
    }

    static Purge decode(ByteBuf in) {
      return new Purge(
          in.readUnsignedShort(), readShortString(in), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, queue);
      out.writeByte(bit(0, noWait));
    }
  }

  record PurgeOk(long messageCount) implements QueueMethod {
    public static final int METHOD_ID = 31;

    static PurgeOk decode(ByteBuf in) {
      return new PurgeOk(in.readUnsignedInt());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeLong(out, messageCount);
    }
  }

  record Delete(int ticket, String queue, boolean ifUnused, boolean ifEmpty, boolean noWait)
      implements QueueMethod {
    public static final int METHOD_ID = 40;

    public Delete {
      requireNonNull(queue, "queue");
    }

    static Delete decode(ByteBuf in) {
      int ticket = in.readUnsignedShort();
      String queue = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Delete(ticket, queue, isSet(bits, 0), isSet(bits, 1), isSet(bits, 2));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, queue);
      out.writeByte(bit(0, ifUnused) | bit(1, ifEmpty) | bit(2, noWait));
    }
  }

  record DeleteOk(long messageCount) implements QueueMethod {
    public static final int METHOD_ID = 41;

    static DeleteOk decode(ByteBuf in) {
      return new DeleteOk(in.readUnsignedInt());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeLong(out, messageCount);
    }
  }

  /** Has no {@code no-wait} bit, unlike every other queue method. */
  record Unbind(int ticket, String queue, String exchange, String routingKey, FieldTable arguments)
      implements QueueMethod {
    public static final int METHOD_ID = 50;

    public Unbind {
      requireNonNull(queue, "queue");
      requireNonNull(exchange, "exchange");
      requireNonNull(routingKey, "routingKey");
      requireNonNull(arguments, "arguments");
    }

    static Unbind decode(ByteBuf in) {
      return new Unbind(
          in.readUnsignedShort(),
          readShortString(in),
          readShortString(in),
          readShortString(in),
          FieldTable.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, queue);
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      arguments.write(out);
    }
  }

  record UnbindOk() implements QueueMethod {
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
