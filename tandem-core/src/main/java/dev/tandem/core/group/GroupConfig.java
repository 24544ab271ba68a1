package dev.tandem.core.group;

/**
 * Settings of the {@link GroupCoordinator}, by their Kafka broker names. {@link #DEFAULTS} are
 * Kafka's broker defaults.
 *
 * <p>{@code group.initial.rebalance.delay.ms} defaults to Kafka's 3000 ms: a new or empty group
 * waits that long (extended while members keep arriving, up to the rebalance timeout) before its
 * first generation, so that consumers started together get one rebalance instead of several.
 * Kafka's sample {@code server.properties} sets it to 0 for development; tests do the same.
 *
 * @param initialRebalanceDelayMs group.initial.rebalance.delay.ms
 * @param minSessionTimeoutMs group.min.session.timeout.ms
 * @param maxSessionTimeoutMs group.max.session.timeout.ms
 * @param maxSize group.max.size
 * @param newMemberJoinTimeoutMs how long a new member may wait in JoinGroup before it is dropped
 *     (Kafka's fixed 5 minutes)
 * @param offsetMetadataMaxBytes offset.metadata.max.bytes
 * @param offsetsRetentionMs offsets.retention.minutes, in milliseconds
 * @param offsetsRetentionCheckIntervalMs offsets.retention.check.interval.ms
 */
public record GroupConfig(
    int initialRebalanceDelayMs,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    int maxSize,
    int newMemberJoinTimeoutMs,
    int offsetMetadataMaxBytes,
    long offsetsRetentionMs,
    long offsetsRetentionCheckIntervalMs) {

  public static final GroupConfig DEFAULTS =
      new GroupConfig(
          3_000,
          6_000,
          1_800_000,
          Integer.MAX_VALUE,
          300_000,
          4096,
          7L * 24 * 3600 * 1000,
          600_000);

  public GroupConfig {
    if (initialRebalanceDelayMs < 0
        || minSessionTimeoutMs < 0
        || maxSessionTimeoutMs < minSessionTimeoutMs
        || maxSize < 1
        || newMemberJoinTimeoutMs < 1
        || offsetMetadataMaxBytes < 0
        || offsetsRetentionMs < 1
        || offsetsRetentionCheckIntervalMs < 1) {
      throw new IllegalArgumentException("invalid group settings: " + this);
    }
  }

  public GroupConfig withInitialRebalanceDelayMs(int value) {
    return new GroupConfig(
        value,
        minSessionTimeoutMs,
        maxSessionTimeoutMs,
        maxSize,
        newMemberJoinTimeoutMs,
        offsetMetadataMaxBytes,
        offsetsRetentionMs,
        offsetsRetentionCheckIntervalMs);
  }

  public GroupConfig withSessionTimeoutRange(int minMs, int maxMs) {
    return new GroupConfig(
        initialRebalanceDelayMs,
        minMs,
        maxMs,
        maxSize,
        newMemberJoinTimeoutMs,
        offsetMetadataMaxBytes,
        offsetsRetentionMs,
        offsetsRetentionCheckIntervalMs);
  }

  public GroupConfig withMaxSize(int value) {
    return new GroupConfig(
        initialRebalanceDelayMs,
        minSessionTimeoutMs,
        maxSessionTimeoutMs,
        value,
        newMemberJoinTimeoutMs,
        offsetMetadataMaxBytes,
        offsetsRetentionMs,
        offsetsRetentionCheckIntervalMs);
  }

  public GroupConfig withOffsetsRetention(long retentionMs, long checkIntervalMs) {
    return new GroupConfig(
        initialRebalanceDelayMs,
        minSessionTimeoutMs,
        maxSessionTimeoutMs,
        maxSize,
        newMemberJoinTimeoutMs,
        offsetMetadataMaxBytes,
        retentionMs,
        checkIntervalMs);
  }
}
