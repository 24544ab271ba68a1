package dev.tandem.storage.record;

import java.util.List;

/**
 * One record read out of a batch, compressed or not, by {@link RecordReader}. Holds copies of its
 * key, value and headers.
 *
 * @param offset the record's offset
 * @param timestamp the record's timestamp (the batch's max timestamp under LogAppendTime)
 * @param key the key, or null
 * @param value the value, or null
 * @param headers the headers, in order
 */
public record LogRecord(
    long offset,
    long timestamp,
    byte[] key,
    byte[] value,
    List<RecordBatchBuilder.Header> headers) {}
