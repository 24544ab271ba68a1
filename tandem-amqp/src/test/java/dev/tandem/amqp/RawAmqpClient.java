package dev.tandem.amqp;

import dev.tandem.amqp.codec.AmqpMethod;
import dev.tandem.amqp.codec.ConnectionMethod;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FrameDescriptor;
import dev.tandem.amqp.codec.FrameWriter;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.amqp.codec.MethodRegistry;
import dev.tandem.amqp.codec.ProtocolHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare AMQP client over a socket, built on the codec, for what a well-behaved client never sends:
 * wrong headers, oversized frames, frames out of order, silence instead of heartbeats.
 */
final class RawAmqpClient implements AutoCloseable {
  /** A frame as read: its type, channel and, for a method frame, the decoded method. */
  record Frame(int type, int channel, byte[] payload, AmqpMethod method) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawAmqpClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendHeader() throws IOException {
    ByteBuf header = Unpooled.buffer(8);
    ProtocolHeader.writeSupported(header);
    sendBytes(bytes(header));
  }

  void send(int channel, AmqpMethod method) throws IOException {
    ByteBuf frame = Unpooled.buffer();
    FrameWriter.writeMethod(frame, channel, method);
    sendBytes(bytes(frame));
  }

  /** Writes a frame of any type with the given payload. */
  void sendFrame(int type, int channel, byte[] payload) throws IOException {
    ByteBuf frame = Unpooled.buffer();
    frame.writeByte(type).writeShort(channel).writeInt(payload.length).writeBytes(payload);
    frame.writeByte(FrameDescriptor.FRAME_END);
    sendBytes(bytes(frame));
  }

  /** Reads the next frame, failing on end of stream or after the socket timeout. */
  Frame read() throws IOException {
    int type = in.readUnsignedByte();
    int channel = in.readUnsignedShort();
    int size = in.readInt();
    byte[] payload = new byte[size];
    in.readFully(payload);
    int end = in.readUnsignedByte();
    if (end != FrameDescriptor.FRAME_END) {
      throw new IOException("bad frame end " + end);
    }
    AmqpMethod method =
        type == FrameDescriptor.TYPE_METHOD
            ? MethodRegistry.decode(Unpooled.wrappedBuffer(payload))
            : null;
    return new Frame(type, channel, payload, method);
  }

  /** Reads frames until a method arrives (skipping heartbeats), and returns it. */
  AmqpMethod readMethod() throws IOException {
    while (true) {
      Frame frame = read();
      if (frame.method() != null) {
        return frame.method();
      }
    }
  }

  byte[] readBytes(int count) throws IOException {
    byte[] bytes = new byte[count];
    in.readFully(bytes);
    return bytes;
  }

  /** Whether the server closed the socket within the socket timeout. */
  boolean isClosedByServer() throws IOException {
    try {
      while (in.read() >= 0) {
        // drain what the server still sent
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (EOFException e) {
      return true;
    }
  }

  void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** Header, start-ok (guest, PLAIN), tune-ok with these values, open of vhost "/". */
  void handshake(int channelMax, int heartbeat) throws IOException {
    sendHeader();
    readMethod();
    FieldTable capabilities =
        FieldTable.builder().put("authentication_failure_close", true).build();
    send(
        0,
        new ConnectionMethod.StartOk(
            FieldTable.builder().put("capabilities", capabilities).build(),
            "PLAIN",
            LongString.of("\0guest\0guest".getBytes(StandardCharsets.UTF_8)),
            "en_US"));
    readMethod();
    send(0, new ConnectionMethod.TuneOk(channelMax, 131_072, heartbeat));
    send(0, new ConnectionMethod.Open("/", "", false));
    AmqpMethod openOk = readMethod();
    if (!(openOk instanceof ConnectionMethod.OpenOk)) {
      throw new IOException("expected open-ok, got " + openOk);
    }
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
