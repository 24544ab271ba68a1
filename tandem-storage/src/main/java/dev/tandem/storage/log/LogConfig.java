package dev.tandem.storage.log;

/**
 * Settings of one log. Immutable; {@code with*} methods return a changed copy. Defaults follow
 * Kafka's topic defaults except durability, which is {@link Durability#FSYNC}.
 *
 * @param segmentBytes roll the active segment when an append would make it larger (segment.bytes)
 * @param segmentMs roll the active segment once its first batch is this old (segment.ms)
 * @param retentionBytes delete the oldest segments while the log is larger; -1 keeps all
 * @param retentionMs delete segments whose newest record is older; -1 keeps all
 * @param maxBatchBytes refuse a batch larger than this (max.message.bytes)
 * @param indexIntervalBytes bytes between two index entries (index.interval.bytes)
 * @param durability when an append counts as done
 * @param flushIntervalMs how often {@link Durability#INTERVAL} fsyncs
 * @param logAppendTime stamp each batch with the broker's clock (message.timestamp.type)
 */
public record LogConfig(
    int segmentBytes,
    long segmentMs,
    long retentionBytes,
    long retentionMs,
    int maxBatchBytes,
    int indexIntervalBytes,
    Durability durability,
    long flushIntervalMs,
    boolean logAppendTime) {

  public static final LogConfig DEFAULT =
      new LogConfig(
          1 << 30,
          7L * 24 * 3600 * 1000,
          -1,
          7L * 24 * 3600 * 1000,
          1024 * 1024 + 12,
          4096,
          Durability.FSYNC,
          1000,
          false);

  public LogConfig {
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException("segment.bytes must be at least 1024: " + segmentBytes);
    }
    if (maxBatchBytes < 64) {
      throw new IllegalArgumentException("max.message.bytes must be at least 64: " + maxBatchBytes);
    }
    if (segmentMs <= 0 || indexIntervalBytes <= 0 || flushIntervalMs <= 0) {
      throw new IllegalArgumentException(
          "segment.ms, index interval and flush interval must be > 0");
    }
  }

  public LogConfig withSegmentBytes(int value) {
    return new LogConfig(
        value,
        segmentMs,
        retentionBytes,
        retentionMs,
        maxBatchBytes,
        indexIntervalBytes,
        durability,
        flushIntervalMs,
        logAppendTime);
  }

  public LogConfig withSegmentMs(long value) {
    return new LogConfig(
        segmentBytes,
        value,
        retentionBytes,
        retentionMs,
        maxBatchBytes,
        indexIntervalBytes,
        durability,
        flushIntervalMs,
        logAppendTime);
  }

  public LogConfig withRetention(long bytes, long ms) {
    return new LogConfig(
        segmentBytes,
        segmentMs,
        bytes,
        ms,
        maxBatchBytes,
        indexIntervalBytes,
        durability,
        flushIntervalMs,
        logAppendTime);
  }

  public LogConfig withMaxBatchBytes(int value) {
    return new LogConfig(
        segmentBytes,
        segmentMs,
        retentionBytes,
        retentionMs,
        value,
        indexIntervalBytes,
        durability,
        flushIntervalMs,
        logAppendTime);
  }

  public LogConfig withIndexIntervalBytes(int value) {
    return new LogConfig(
        segmentBytes,
        segmentMs,
        retentionBytes,
        retentionMs,
        maxBatchBytes,
        value,
        durability,
        flushIntervalMs,
        logAppendTime);
  }

  public LogConfig withDurability(Durability value) {
    return new LogConfig(
        segmentBytes,
        segmentMs,
        retentionBytes,
        retentionMs,
        maxBatchBytes,
        indexIntervalBytes,
        value,
        flushIntervalMs,
        logAppendTime);
  }

  public LogConfig withFlushIntervalMs(long value) {
    return new LogConfig(
        segmentBytes,
        segmentMs,
        retentionBytes,
        retentionMs,
        maxBatchBytes,
        indexIntervalBytes,
        durability,
        value,
        logAppendTime);
  }

  public LogConfig withLogAppendTime(boolean value) {
    return new LogConfig(
        segmentBytes,
        segmentMs,
        retentionBytes,
        retentionMs,
        maxBatchBytes,
        indexIntervalBytes,
        durability,
        flushIntervalMs,
        value);
  }
}
