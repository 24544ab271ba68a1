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
 * Class {@code basic} (60): consuming, publishing, acknowledging, and RabbitMQ's {@code nack}.
 * {@code publish}, {@code return}, {@code deliver} and {@code get-ok} carry content. {@code ticket}
 * and {@code cluster-id} are reserved in 0-9-1.
 */
public sealed interface BasicMethod extends AmqpMethod {
  int CLASS_ID = 60;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Qos(long prefetchSize, int prefetchCount, boolean global) implements BasicMethod {
    public static final int METHOD_ID = 10;

    static Qos decode(ByteBuf in) {
      return new Qos(in.readUnsignedInt(), in.readUnsignedShort(), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeLong(out, prefetchSize);
      writeShort(out, prefetchCount);
      out.writeByte(bit(0, global));
    }
  }

  record QosOk() implements BasicMethod {
    public static final int METHOD_ID = 11;
    public static final QosOk INSTANCE = new QosOk();

    static QosOk decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }

  record Consume(
      int ticket,
      String queue,
      String consumerTag,
      boolean noLocal,
      boolean noAck,
      boolean exclusive,
      boolean noWait,
      FieldTable arguments)
      implements BasicMethod {
    public static final int METHOD_ID = 20;

    public Consume {
      requireNonNull(queue, "queue");
      requireNonNull(consumerTag, "consumerTag");
      requireNonNull(arguments, "arguments");
    }

    static Consume decode(ByteBuf in) {
      int ticket = in.readUnsignedShort();
      String queue = readShortString(in);
      String consumerTag = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Consume(
          ticket,
          queue,
          consumerTag,
          isSet(bits, 0),
          isSet(bits, 1),
          isSet(bits, 2),
          isSet(bits, 3),
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
      writeShortString(out, consumerTag);
      out.writeByte(bit(0, noLocal) | bit(1, noAck) | bit(2, exclusive) | bit(3, noWait));
      arguments.write(out);
    }
  }

  record ConsumeOk(String consumerTag) implements BasicMethod {
    public static final int METHOD_ID = 21;

    public ConsumeOk {
      requireNonNull(consumerTag, "consumerTag");
    }

    static ConsumeOk decode(ByteBuf in) {
      return new ConsumeOk(readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
    }
  }

  /** Sent by the client, and by the server when a queue goes away (consumer cancel notify). */
  record Cancel(String consumerTag, boolean noWait) implements BasicMethod {
    public static final int METHOD_ID = 30;

    public Cancel {
      requireNonNull(consumerTag, "consumerTag");
    }

    static Cancel decode(ByteBuf in) {
      return new Cancel(readShortString(in), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
      out.writeByte(bit(0, noWait));
    }
  }

  record CancelOk(String consumerTag) implements BasicMethod {
    public static final int METHOD_ID = 31;

    public CancelOk {
      requireNonNull(consumerTag, "consumerTag");
    }

    static CancelOk decode(ByteBuf in) {
      return new CancelOk(readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
    }
  }

  record Publish(
      int ticket, String exchange, String routingKey, boolean mandatory, boolean immediate)
      implements BasicMethod {
    public static final int METHOD_ID = 40;

    public Publish {
      requireNonNull(exchange, "exchange");
      requireNonNull(routingKey, "routingKey");
    }

    static Publish decode(ByteBuf in) {
      int ticket = in.readUnsignedShort();
      String exchange = readShortString(in);
      String routingKey = readShortString(in);
      int bits = in.readUnsignedByte();
      return new Publish(ticket, exchange, routingKey, isSet(bits, 0), isSet(bits, 1));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      out.writeByte(bit(0, mandatory) | bit(1, immediate));
    }
  }

  record Return(int replyCode, String replyText, String exchange, String routingKey)
      implements BasicMethod {
    public static final int METHOD_ID = 50;

    public Return {
      requireNonNull(replyText, "replyText");
      requireNonNull(exchange, "exchange");
      requireNonNull(routingKey, "routingKey");
    }

    static Return decode(ByteBuf in) {
      return new Return(
          in.readUnsignedShort(), readShortString(in), readShortString(in), readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, replyCode);
      writeShortString(out, replyText);
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
    }
  }

  record Deliver(
      String consumerTag, long deliveryTag, boolean redelivered, String exchange, String routingKey)
      implements BasicMethod {
    public static final int METHOD_ID = 60;

    public Deliver {
      requireNonNull(consumerTag, "consumerTag");
      requireNonNull(exchange, "exchange");
      requireNonNull(routingKey, "routingKey");
    }

    static Deliver decode(ByteBuf in) {
      return new Deliver(
          readShortString(in),
          in.readLong(),
          isSet(in.readUnsignedByte(), 0),
          readShortString(in),
          readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, consumerTag);
      out.writeLong(deliveryTag);
      out.writeByte(bit(0, redelivered));
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
    }
  }

  record Get(int ticket, String queue, boolean noAck) implements BasicMethod {
    public static final int METHOD_ID = 70;

    public Get {
      requireNonNull(queue, "queue");
    }

    static Get decode(ByteBuf in) {
      return new Get(in.readUnsignedShort(), readShortString(in), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, ticket);
      writeShortString(out, queue);
      out.writeByte(bit(0, noAck));
    }
  }

  record GetOk(
      long deliveryTag, boolean redelivered, String exchange, String routingKey, long messageCount)
      implements BasicMethod {
    public static final int METHOD_ID = 71;

    public GetOk {
      requireNonNull(exchange, "exchange");
      requireNonNull(routingKey, "routingKey");
    }

    static GetOk decode(ByteBuf in) {
      return new GetOk(
          in.readLong(),
          isSet(in.readUnsignedByte(), 0),
          readShortString(in),
          readShortString(in),
          in.readUnsignedInt());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public boolean hasContent() {
      return true;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
      out.writeByte(bit(0, redelivered));
      writeShortString(out, exchange);
      writeShortString(out, routingKey);
      writeLong(out, messageCount);
    }
  }

  record GetEmpty(String clusterId) implements BasicMethod {
    public static final int METHOD_ID = 72;

    public GetEmpty {
      requireNonNull(clusterId, "clusterId");
    }

    static GetEmpty decode(ByteBuf in) {
      return new GetEmpty(readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, clusterId);
    }
  }

  /** From the client for deliveries; from the server for publisher confirms. */
  record Ack(long deliveryTag, boolean multiple) implements BasicMethod {
    public static final int METHOD_ID = 80;

    static Ack decode(ByteBuf in) {
      return new Ack(in.readLong(), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
      out.writeByte(bit(0, multiple));
    }
  }

  record Reject(long deliveryTag, boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 90;

    static Reject decode(ByteBuf in) {
      return new Reject(in.readLong(), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
      out.writeByte(bit(0, requeue));
    }
  }

  /** Deprecated in 0-9-1 in favour of {@link Recover}; has no reply. */
  record RecoverAsync(boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 100;

    static RecoverAsync decode(ByteBuf in) {
      return new RecoverAsync(isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(0, requeue));
    }
  }

  record Recover(boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 110;

    static Recover decode(ByteBuf in) {
      return new Recover(isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(0, requeue));
    }
  }

  record RecoverOk() implements BasicMethod {
    public static final int METHOD_ID = 111;
    public static final RecoverOk INSTANCE = new RecoverOk();

    static RecoverOk decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }

  /** RabbitMQ extension: negative acknowledgement, from the client or for publisher confirms. */
  record Nack(long deliveryTag, boolean multiple, boolean requeue) implements BasicMethod {
    public static final int METHOD_ID = 120;

    static Nack decode(ByteBuf in) {
      long deliveryTag = in.readLong();
      int bits = in.readUnsignedByte();
      return new Nack(deliveryTag, isSet(bits, 0), isSet(bits, 1));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeLong(deliveryTag);
      out.writeByte(bit(0, multiple) | bit(1, requeue));
    }
  }
}
