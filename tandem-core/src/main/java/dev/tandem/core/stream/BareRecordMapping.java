package dev.tandem.core.stream;

import dev.tandem.core.queue.Message;
import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping used when no protocol supplies one: routing key ↔ key, body ↔ value, and headers with
 * text values ↔ record headers of the same name (UTF-8). Properties are not carried. Stateless.
 */
final class BareRecordMapping implements RecordMapping {
  @Override
  public StreamRecord toRecord(Message message, long nowMillis) {
    List<RecordBatchBuilder.Header> headers = new ArrayList<>();
    for (Map.Entry<String, Object> header : message.headers().entrySet()) {
      Object value = header.getValue();
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        headers.add(
            new RecordBatchBuilder.Header(
                header.getKey(), value.toString().getBytes(StandardCharsets.UTF_8)));
      }
    }
    byte[] key =
        message.routingKey().isEmpty()
            ? null
            : message.routingKey().getBytes(StandardCharsets.UTF_8);
    return new StreamRecord(key, message.body(), headers, nowMillis);
  }

  @Override
  public Message toMessage(String topic, LogRecord record, long streamOffset, int streamPartition) {
    Map<String, Object> headers = new LinkedHashMap<>();
    for (RecordBatchBuilder.Header header : record.headers()) {
      if (header.value() != null) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    if (streamOffset >= 0) {
      headers.put("x-stream-offset", streamOffset);
    }
    if (streamPartition >= 0) {
      headers.put("x-stream-partition", (long) streamPartition);
    }
    String routingKey =
        record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    byte[] body = record.value() == null ? new byte[0] : record.value();
    return new Message(topic, routingKey, new byte[0], headers, body, true);
  }
}
