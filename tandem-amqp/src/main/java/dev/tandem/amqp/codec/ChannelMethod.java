package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.bit;
import static dev.tandem.amqp.codec.WireTypes.isSet;
import static dev.tandem.amqp.codec.WireTypes.readShortString;
import static dev.tandem.amqp.codec.WireTypes.writeShort;
import static dev.tandem.amqp.codec.WireTypes.writeShortString;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/** Class {@code channel} (20): open, flow, close. */
public sealed interface ChannelMethod extends AmqpMethod {
  int CLASS_ID = 20;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  /** {@code outOfBand} is reserved in 0-9-1. */
  record Open(String outOfBand) implements ChannelMethod {
    public static final int METHOD_ID = 10;

    public Open {
      requireNonNull(outOfBand, "outOfBand");
    }

    static Open decode(ByteBuf in) {
      return new Open(readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, outOfBand);
    }
  }

  /** {@code channelId} is reserved in 0-9-1. */
  record OpenOk(LongString channelId) implements ChannelMethod {
    public static final int METHOD_ID = 11;

    public OpenOk {
      requireNonNull(channelId, "channelId");
    }

    static OpenOk decode(ByteBuf in) {
      return new OpenOk(LongString.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      channelId.write(out);
    }
  }

  record Flow(boolean active) implements ChannelMethod {
    public static final int METHOD_ID = 20;

    static Flow decode(ByteBuf in) {
      return new Flow(isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(0, active));
    }
  }

  record FlowOk(boolean active) implements ChannelMethod {
    public static final int METHOD_ID = 21;

    static FlowOk decode(ByteBuf in) {
      return new FlowOk(isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      out.writeByte(bit(0, active));
    }
  }

  /** The spec's {@code class-id} and {@code method-id} name the failing method, or are 0. */
  record Close(int replyCode, String replyText, int failingClassId, int failingMethodId)
      implements ChannelMethod {
    public static final int METHOD_ID = 40;

    public Close {
      requireNonNull(replyText, "replyText");
    }

    static Close decode(ByteBuf in) {
      return new Close(
          in.readUnsignedShort(),
          readShortString(in),
          in.readUnsignedShort(),
          in.readUnsignedShort());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, replyCode);
      writeShortString(out, replyText);
      writeShort(out, failingClassId);
      writeShort(out, failingMethodId);
    }
  }

  record CloseOk() implements ChannelMethod {
    public static final int METHOD_ID = 41;
    public static final CloseOk INSTANCE = new CloseOk();

    static CloseOk decode(ByteBuf in) {
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
