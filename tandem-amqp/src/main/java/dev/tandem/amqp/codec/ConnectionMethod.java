package dev.tandem.amqp.codec;

import static dev.tandem.amqp.codec.WireTypes.bit;
import static dev.tandem.amqp.codec.WireTypes.isSet;
import static dev.tandem.amqp.codec.WireTypes.readShortString;
import static dev.tandem.amqp.codec.WireTypes.writeLong;
import static dev.tandem.amqp.codec.WireTypes.writeOctet;
import static dev.tandem.amqp.codec.WireTypes.writeShort;
import static dev.tandem.amqp.codec.WireTypes.writeShortString;
import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * Class {@code connection} (10): start, secure, tune, open, close, and RabbitMQ's blocked,
 * unblocked and update-secret. Always on channel 0.
 */
public sealed interface ConnectionMethod extends AmqpMethod {
  int CLASS_ID = 10;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  record Start(
      int versionMajor,
      int versionMinor,
      FieldTable serverProperties,
      LongString mechanisms,
      LongString locales)
      implements ConnectionMethod {
    public static final int METHOD_ID = 10;

    public Start {
      requireNonNull(serverProperties, "serverProperties");
      requireNonNull(mechanisms, "mechanisms");
      requireNonNull(locales, "locales");
    }

    static Start decode(ByteBuf in) {
      return new Start(
          in.readUnsignedByte(),
          in.readUnsignedByte(),
          FieldTable.read(in),
          LongString.read(in),
          LongString.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeOctet(out, versionMajor);
      writeOctet(out, versionMinor);
      serverProperties.write(out);
      mechanisms.write(out);
      locales.write(out);
    }
  }

  record StartOk(FieldTable clientProperties, String mechanism, LongString response, String locale)
      implements ConnectionMethod {
    public static final int METHOD_ID = 11;

    public StartOk {
      requireNonNull(clientProperties, "clientProperties");
      requireNonNull(mechanism, "mechanism");
      requireNonNull(response, "response");
      requireNonNull(locale, "locale");
    }

    static StartOk decode(ByteBuf in) {
      return new StartOk(
          FieldTable.read(in), readShortString(in), LongString.read(in), readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      clientProperties.write(out);
      writeShortString(out, mechanism);
      response.write(out);
      writeShortString(out, locale);
    }
  }

  record Secure(LongString challenge) implements ConnectionMethod {
    public static final int METHOD_ID = 20;

    public Secure {
      requireNonNull(challenge, "challenge");
    }

    static Secure decode(ByteBuf in) {
      return new Secure(LongString.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      challenge.write(out);
    }
  }

  record SecureOk(LongString response) implements ConnectionMethod {
    public static final int METHOD_ID = 21;

    public SecureOk {
      requireNonNull(response, "response");
    }

    static SecureOk decode(ByteBuf in) {
      return new SecureOk(LongString.read(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      response.write(out);
    }
  }

  /** The server's proposal; 0 means "no limit" for each field. */
  record Tune(int channelMax, long frameMax, int heartbeat) implements ConnectionMethod {
    public static final int METHOD_ID = 30;

    static Tune decode(ByteBuf in) {
      return new Tune(in.readUnsignedShort(), in.readUnsignedInt(), in.readUnsignedShort());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, channelMax);
      writeLong(out, frameMax);
      writeShort(out, heartbeat);
    }
  }

  /** The client's choice, at most what the server proposed. */
  record TuneOk(int channelMax, long frameMax, int heartbeat) implements ConnectionMethod {
    public static final int METHOD_ID = 31;

    static TuneOk decode(ByteBuf in) {
      return new TuneOk(in.readUnsignedShort(), in.readUnsignedInt(), in.readUnsignedShort());
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShort(out, channelMax);
      writeLong(out, frameMax);
      writeShort(out, heartbeat);
    }
  }

  /** {@code capabilities} and {@code insist} are reserved in 0-9-1. */
  record Open(String virtualHost, String capabilities, boolean insist) implements ConnectionMethod {
    public static final int METHOD_ID = 40;

    public Open {
      requireNonNull(virtualHost, "virtualHost");
      requireNonNull(capabilities, "capabilities");
    }

    static Open decode(ByteBuf in) {
      return new Open(readShortString(in), readShortString(in), isSet(in.readUnsignedByte(), 0));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, virtualHost);
      writeShortString(out, capabilities);
      out.writeByte(bit(0, insist));
    }
  }

  /** {@code knownHosts} is reserved in 0-9-1. */
  record OpenOk(String knownHosts) implements ConnectionMethod {
    public static final int METHOD_ID = 41;

    public OpenOk {
      requireNonNull(knownHosts, "knownHosts");
    }

    static OpenOk decode(ByteBuf in) {
      return new OpenOk(readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, knownHosts);
    }
  }

  /**
   * {@code failingClassId} and {@code failingMethodId} name the method that caused the close, or
   * are 0 (the spec's {@code class-id} and {@code method-id}).
   */
  record Close(int replyCode, String replyText, int failingClassId, int failingMethodId)
      implements ConnectionMethod {
    public static final int METHOD_ID = 50;

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

  record CloseOk() implements ConnectionMethod {
    public static final int METHOD_ID = 51;
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

  /** RabbitMQ extension: the server stops reading from publishers (resource alarm). */
  record Blocked(String reason) implements ConnectionMethod {
    public static final int METHOD_ID = 60;

    public Blocked {
      requireNonNull(reason, "reason");
    }

    static Blocked decode(ByteBuf in) {
      return new Blocked(readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      writeShortString(out, reason);
    }
  }

  /** RabbitMQ extension: publishers may go on. */
  record Unblocked() implements ConnectionMethod {
    public static final int METHOD_ID = 61;
    public static final Unblocked INSTANCE = new Unblocked();

    static Unblocked decode(ByteBuf in) {
      return INSTANCE;
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {}
  }

  /** RabbitMQ extension: the client refreshes its credentials (e.g. an OAuth 2 token). */
  record UpdateSecret(LongString newSecret, String reason) implements ConnectionMethod {
    public static final int METHOD_ID = 70;

    public UpdateSecret {
      requireNonNull(newSecret, "newSecret");
      requireNonNull(reason, "reason");
    }

    static UpdateSecret decode(ByteBuf in) {
      return new UpdateSecret(LongString.read(in), readShortString(in));
    }

    @Override
    public int methodId() {
      return METHOD_ID;
    }

    @Override
    public void writeArguments(ByteBuf out) {
      newSecret.write(out);
      writeShortString(out, reason);
    }
  }

  record UpdateSecretOk() implements ConnectionMethod {
    public static final int METHOD_ID = 71;
    public static final UpdateSecretOk INSTANCE = new UpdateSecretOk();

    static UpdateSecretOk decode(ByteBuf in) {
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
