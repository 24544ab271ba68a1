package dev.tandem.core.delay;

import dev.tandem.core.exchange.ArgumentTable;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.MessageRecord;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a held message is stored: one record per batch, laid out as a queue's {@link MessageRecord}
 * (key, value and the {@code x-amqp-*} headers), its timestamp the time it was held, then
 *
 * <pre>
 *   x-delay-due-at    8 bytes, epoch milliseconds
 *   x-delay-target    1 byte kind ('e' exchange, 'q' queue), then the name, UTF-8
 *   x-delay-headers   the message's decoded headers in ArgumentTable's encoding (only if any),
 *                     so that a headers exchange can route it at release, after a restart too
 * </pre>
 *
 * Stateless.
 */
final class HeldRecord {
  static final String DUE_AT = "x-delay-due-at";
  static final String TARGET = "x-delay-target";
  static final String HEADERS = "x-delay-headers";

  private HeldRecord() {}

  /** A held message read back: where it goes, when, and what it is. */
  record Held(DelayTarget target, long dueAt, Message message) {}

  static ByteBuffer encode(DelayTarget target, Message message, long dueAt, long nowMillis) {
    List<RecordBatchBuilder.Header> extra = new ArrayList<>(3);
    extra.add(new RecordBatchBuilder.Header(DUE_AT, ByteBuffer.allocate(8).putLong(dueAt).array()));
    byte[] name = target.name().getBytes(StandardCharsets.UTF_8);
    byte[] kind = {(byte) (target.kind() == DelayTarget.Kind.QUEUE ? 'q' : 'e')};
    extra.add(
        new RecordBatchBuilder.Header(
            TARGET, ByteBuffer.allocate(1 + name.length).put(kind).put(name).array()));
    if (!message.headers().isEmpty()) {
      extra.add(new RecordBatchBuilder.Header(HEADERS, ArgumentTable.encode(message.headers())));
    }
    return MessageRecord.encode(message, nowMillis, extra);
  }

  /**
   * The held message: its decoded headers restored, and a deadline (per-message TTL) moved by the
   * time it was held, so that the TTL counts from its release, as it does in the plugin, where it
   * starts when the message reaches its queue.
   */
  static Held decode(LogRecord record) {
    Message stored = MessageRecord.decode(record);
    long dueAt = dueAt(record);
    DelayTarget target = null;
    Map<String, Object> headers = Map.of();
    for (RecordBatchBuilder.Header header : record.headers()) {
      if (header.value() == null) {
        continue;
      }
      if (header.key().equals(TARGET) && header.value().length > 0) {
        String name =
            new String(header.value(), 1, header.value().length - 1, StandardCharsets.UTF_8);
        target = header.value()[0] == 'q' ? DelayTarget.queue(name) : DelayTarget.exchange(name);
      } else if (header.key().equals(HEADERS)) {
        headers = ArgumentTable.decode(header.value());
      }
    }
    if (target == null) {
      throw new IllegalArgumentException("held message at " + record.offset() + " has no target");
    }
    long expiresAt =
        stored.expiresAt() == 0 ? 0 : stored.expiresAt() + Math.max(0, dueAt - record.timestamp());
    Message message =
        new Message(
            stored.exchange(),
            stored.routingKey(),
            stored.properties(),
            headers,
            stored.body(),
            stored.persistent(),
            expiresAt,
            stored.priority());
    return new Held(target, dueAt, message);
  }

  /** When the record's message is due; 0 (at once) if the record does not say. */
  static long dueAt(LogRecord record) {
    for (RecordBatchBuilder.Header header : record.headers()) {
      if (header.key().equals(DUE_AT) && header.value() != null && header.value().length == 8) {
        return ByteBuffer.wrap(header.value()).getLong();
      }
    }
    return 0;
  }
}
