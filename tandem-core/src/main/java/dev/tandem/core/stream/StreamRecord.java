package dev.tandem.core.stream;

import dev.tandem.storage.record.RecordBatchBuilder;
import java.util.List;

/**
 * A record on its way into a topic.
 *
 * @param key the record key, or null
 * @param value the record value, or null
 * @param headers the record headers, in order
 * @param timestamp the record's create time, epoch milliseconds
 */
public record StreamRecord(
    byte[] key, byte[] value, List<RecordBatchBuilder.Header> headers, long timestamp) {
  public StreamRecord {
    headers = List.copyOf(headers);
  }
}
