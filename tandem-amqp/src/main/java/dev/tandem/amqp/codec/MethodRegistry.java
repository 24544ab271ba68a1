package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Every method of AMQP 0-9-1 with RabbitMQ's extensions, by {@code (class-id, method-id)}: its
 * name, whether content follows it, whether a server accepts it, and its decoder. The table is
 * RabbitMQ's {@code amqp-rabbitmq-0.9.1.json}; a test checks it against the Java client's generated
 * classes.
 *
 * <p>Errors, as RabbitMQ reports them:
 *
 * <ul>
 *   <li>arguments that cannot be decoded (truncated, trailing bytes, a length past the frame, bad
 *       UTF-8 in a short string): 501 FRAME_ERROR, as RabbitMQ's {@code decode_method_fields};
 *   <li>an unknown {@code (class-id, method-id)}: 540 NOT_IMPLEMENTED. RabbitMQ itself drops the
 *       TCP connection without a {@code connection.close} here; Tandem answers with the code the
 *       spec defines for "functionality not implemented in the server".
 *   <li>a known method that only a client accepts ({@code basic.deliver} sent to the server): not
 *       an error here; {@link Entry#acceptedByServer()} lets the channel answer 503 COMMAND_INVALID
 *       "unimplemented method", as RabbitMQ's channel does.
 * </ul>
 *
 * <p>Immutable after class initialisation; thread-safe.
 */
public final class MethodRegistry {
  /** Decodes the arguments of one method; the class and method ids are already read. */
  @FunctionalInterface
  public interface MethodDecoder {
    AmqpMethod decode(ByteBuf arguments);
  }

  /** One method of the spec. */
  public record Entry(
      int classId,
      int methodId,
      String name,
      boolean hasContent,
      boolean acceptedByServer,
      MethodDecoder decoder) {}

  private static final boolean SERVER = true;
  private static final boolean CLIENT = false;

  private static final List<Entry> ENTRIES = List.copyOf(allEntries());
  private static final Entry[][] BY_ID = index(ENTRIES);

  private MethodRegistry() {}

  /**
   * Decodes a method frame payload: class id, method id, arguments. The whole payload must be
   * consumed.
   *
   * @throws AmqpException 540 NOT_IMPLEMENTED for an unknown method, 501 FRAME_ERROR for arguments
   *     that cannot be decoded; both carry the class and method ids.
   */
  public static AmqpMethod decode(ByteBuf payload) {
    if (payload.readableBytes() < 4) {
      throw AmqpException.frameError(
          "method frame of " + payload.readableBytes() + " bytes has no class and method id");
    }
    int classId = payload.readUnsignedShort();
    int methodId = payload.readUnsignedShort();
    Entry entry = entry(classId, methodId);
    if (entry == null) {
      throw new AmqpException(
          ReplyCode.NOT_IMPLEMENTED,
          "unknown method " + classId + "." + methodId,
          classId,
          methodId);
    }
    AmqpMethod method;
    try {
      method = entry.decoder().decode(payload);
    } catch (IndexOutOfBoundsException e) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "cannot decode " + entry.name() + ": truncated",
          classId,
          methodId);
    } catch (AmqpException e) {
      throw e.withMethod(classId, methodId);
    }
    if (payload.isReadable()) {
      throw new AmqpException(
          ReplyCode.FRAME_ERROR,
          "cannot decode " + entry.name() + ": " + payload.readableBytes() + " trailing bytes",
          classId,
          methodId);
    }
    return method;
  }

  /** The method with these ids, or {@code null} if the spec has none. */
  public static Entry entry(int classId, int methodId) {
    if (classId < 0 || classId >= BY_ID.length || BY_ID[classId] == null) {
      return null;
    }
    Entry[] methods = BY_ID[classId];
    return methodId < 0 || methodId >= methods.length ? null : methods[methodId];
  }

  /** The spec name, {@code "basic.publish"}, or {@code "10.99"} for an unknown method. */
  public static String name(int classId, int methodId) {
    Entry entry = entry(classId, methodId);
    return entry == null ? classId + "." + methodId : entry.name();
  }

  /** Every method, grouped by class in spec order. */
  public static List<Entry> entries() {
    return ENTRIES;
  }

  private static Entry[][] index(List<Entry> entries) {
    int maxClassId = entries.stream().mapToInt(Entry::classId).max().orElse(0);
    Entry[][] byId = new Entry[maxClassId + 1][];
    for (Entry entry : entries) {
      Entry[] methods = byId[entry.classId()];
      if (methods == null || methods.length <= entry.methodId()) {
        Entry[] grown = new Entry[entry.methodId() + 1];
        if (methods != null) {
          System.arraycopy(methods, 0, grown, 0, methods.length);
        }
        methods = grown;
        byId[entry.classId()] = methods;
      }
      methods[entry.methodId()] = entry;
    }
    return byId;
  }

  private static List<Entry> allEntries() {
    List<Entry> all = new ArrayList<>();
    addConnectionMethods(all);
    addChannelMethods(all);
    addAccessMethods(all);
    addExchangeMethods(all);
    addQueueMethods(all);
    addBasicMethods(all);
    addConfirmMethods(all);
    addTxMethods(all);
    return all;
  }

  private static void addConnectionMethods(List<Entry> all) {
    int c = ConnectionMethod.CLASS_ID;
    add(all, c, 10, "connection.start", CLIENT, ConnectionMethod.Start::decode);
    add(all, c, 11, "connection.start-ok", SERVER, ConnectionMethod.StartOk::decode);
    add(all, c, 20, "connection.secure", CLIENT, ConnectionMethod.Secure::decode);
    add(all, c, 21, "connection.secure-ok", SERVER, ConnectionMethod.SecureOk::decode);
    add(all, c, 30, "connection.tune", CLIENT, ConnectionMethod.Tune::decode);
    add(all, c, 31, "connection.tune-ok", SERVER, ConnectionMethod.TuneOk::decode);
    add(all, c, 40, "connection.open", SERVER, ConnectionMethod.Open::decode);
    add(all, c, 41, "connection.open-ok", CLIENT, ConnectionMethod.OpenOk::decode);
    add(all, c, 50, "connection.close", SERVER, ConnectionMethod.Close::decode);
    add(all, c, 51, "connection.close-ok", SERVER, ConnectionMethod.CloseOk::decode);
    add(all, c, 60, "connection.blocked", CLIENT, ConnectionMethod.Blocked::decode);
    add(all, c, 61, "connection.unblocked", CLIENT, ConnectionMethod.Unblocked::decode);
    add(all, c, 70, "connection.update-secret", SERVER, ConnectionMethod.UpdateSecret::decode);
    add(all, c, 71, "connection.update-secret-ok", CLIENT, ConnectionMethod.UpdateSecretOk::decode);
  }

  private static void addChannelMethods(List<Entry> all) {
    int c = ChannelMethod.CLASS_ID;
    add(all, c, 10, "channel.open", SERVER, ChannelMethod.Open::decode);
    add(all, c, 11, "channel.open-ok", CLIENT, ChannelMethod.OpenOk::decode);
    add(all, c, 20, "channel.flow", SERVER, ChannelMethod.Flow::decode);
    add(all, c, 21, "channel.flow-ok", SERVER, ChannelMethod.FlowOk::decode);
    add(all, c, 40, "channel.close", SERVER, ChannelMethod.Close::decode);
    add(all, c, 41, "channel.close-ok", SERVER, ChannelMethod.CloseOk::decode);
  }

  private static void addAccessMethods(List<Entry> all) {
    int c = AccessMethod.CLASS_ID;
    add(all, c, 10, "access.request", SERVER, AccessMethod.Request::decode);
    add(all, c, 11, "access.request-ok", CLIENT, AccessMethod.RequestOk::decode);
  }

  private static void addExchangeMethods(List<Entry> all) {
    int c = ExchangeMethod.CLASS_ID;
    add(all, c, 10, "exchange.declare", SERVER, ExchangeMethod.Declare::decode);
    add(all, c, 11, "exchange.declare-ok", CLIENT, ExchangeMethod.DeclareOk::decode);
    add(all, c, 20, "exchange.delete", SERVER, ExchangeMethod.Delete::decode);
    add(all, c, 21, "exchange.delete-ok", CLIENT, ExchangeMethod.DeleteOk::decode);
    add(all, c, 30, "exchange.bind", SERVER, ExchangeMethod.Bind::decode);
    add(all, c, 31, "exchange.bind-ok", CLIENT, ExchangeMethod.BindOk::decode);
    add(all, c, 40, "exchange.unbind", SERVER, ExchangeMethod.Unbind::decode);
    add(all, c, 51, "exchange.unbind-ok", CLIENT, ExchangeMethod.UnbindOk::decode);
  }

  private static void addQueueMethods(List<Entry> all) {
    int c = QueueMethod.CLASS_ID;
    add(all, c, 10, "queue.declare", SERVER, QueueMethod.Declare::decode);
    add(all, c, 11, "queue.declare-ok", CLIENT, QueueMethod.DeclareOk::decode);
    add(all, c, 20, "queue.bind", SERVER, QueueMethod.Bind::decode);
    add(all, c, 21, "queue.bind-ok", CLIENT, QueueMethod.BindOk::decode);
    add(all, c, 30, "queue.purge", SERVER, QueueMethod.Purge::decode);
    add(all, c, 31, "queue.purge-ok", CLIENT, QueueMethod.PurgeOk::decode);
    add(all, c, 40, "queue.delete", SERVER, QueueMethod.Delete::decode);
    add(all, c, 41, "queue.delete-ok", CLIENT, QueueMethod.DeleteOk::decode);
    add(all, c, 50, "queue.unbind", SERVER, QueueMethod.Unbind::decode);
    add(all, c, 51, "queue.unbind-ok", CLIENT, QueueMethod.UnbindOk::decode);
  }

  private static void addBasicMethods(List<Entry> all) {
    int c = BasicMethod.CLASS_ID;
    add(all, c, 10, "basic.qos", SERVER, BasicMethod.Qos::decode);
    add(all, c, 11, "basic.qos-ok", CLIENT, BasicMethod.QosOk::decode);
    add(all, c, 20, "basic.consume", SERVER, BasicMethod.Consume::decode);
    add(all, c, 21, "basic.consume-ok", CLIENT, BasicMethod.ConsumeOk::decode);
    add(all, c, 30, "basic.cancel", SERVER, BasicMethod.Cancel::decode);
    add(all, c, 31, "basic.cancel-ok", CLIENT, BasicMethod.CancelOk::decode);
    addContent(all, c, 40, "basic.publish", SERVER, BasicMethod.Publish::decode);
    addContent(all, c, 50, "basic.return", CLIENT, BasicMethod.Return::decode);
    addContent(all, c, 60, "basic.deliver", CLIENT, BasicMethod.Deliver::decode);
    add(all, c, 70, "basic.get", SERVER, BasicMethod.Get::decode);
    addContent(all, c, 71, "basic.get-ok", CLIENT, BasicMethod.GetOk::decode);
    add(all, c, 72, "basic.get-empty", CLIENT, BasicMethod.GetEmpty::decode);
    add(all, c, 80, "basic.ack", SERVER, BasicMethod.Ack::decode);
    add(all, c, 90, "basic.reject", SERVER, BasicMethod.Reject::decode);
    add(all, c, 100, "basic.recover-async", SERVER, BasicMethod.RecoverAsync::decode);
    add(all, c, 110, "basic.recover", SERVER, BasicMethod.Recover::decode);
    add(all, c, 111, "basic.recover-ok", CLIENT, BasicMethod.RecoverOk::decode);
    add(all, c, 120, "basic.nack", SERVER, BasicMethod.Nack::decode);
  }

  private static void addConfirmMethods(List<Entry> all) {
    int c = ConfirmMethod.CLASS_ID;
    add(all, c, 10, "confirm.select", SERVER, ConfirmMethod.Select::decode);
    add(all, c, 11, "confirm.select-ok", CLIENT, ConfirmMethod.SelectOk::decode);
  }

  private static void addTxMethods(List<Entry> all) {
    int c = TxMethod.CLASS_ID;
    add(all, c, 10, "tx.select", SERVER, in -> TxMethod.Select.INSTANCE);
    add(all, c, 11, "tx.select-ok", CLIENT, in -> TxMethod.SelectOk.INSTANCE);
    add(all, c, 20, "tx.commit", SERVER, in -> TxMethod.Commit.INSTANCE);
    add(all, c, 21, "tx.commit-ok", CLIENT, in -> TxMethod.CommitOk.INSTANCE);
    add(all, c, 30, "tx.rollback", SERVER, in -> TxMethod.Rollback.INSTANCE);
    add(all, c, 31, "tx.rollback-ok", CLIENT, in -> TxMethod.RollbackOk.INSTANCE);
  }

  private static void add(
      List<Entry> all,
      int classId,
      int methodId,
      String name,
      boolean acceptedByServer,
      MethodDecoder decoder) {
    all.add(new Entry(classId, methodId, name, false, acceptedByServer, decoder));
  }

  private static void addContent(
      List<Entry> all,
      int classId,
      int methodId,
      String name,
      boolean acceptedByServer,
      MethodDecoder decoder) {
    all.add(new Entry(classId, methodId, name, true, acceptedByServer, decoder));
  }
}
