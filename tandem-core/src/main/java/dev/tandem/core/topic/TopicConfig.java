package dev.tandem.core.topic;

import dev.tandem.storage.log.LogConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The topic-level settings Tandem implements, by their Kafka names, and how they map onto a {@link
 * LogConfig}. A topic stores only its overrides; everything else follows the broker default.
 * Immutable.
 *
 * @param overrides settings set on the topic itself
 */
public record TopicConfig(Map<String, String> overrides) {
  public static final String RETENTION_MS = "retention.ms";
  public static final String RETENTION_BYTES = "retention.bytes";
  public static final String SEGMENT_BYTES = "segment.bytes";
  public static final String SEGMENT_MS = "segment.ms";
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  public static final String CLEANUP_POLICY = "cleanup.policy";
  public static final String TIMESTAMP_TYPE = "message.timestamp.type";

  /** Every supported key in documentation order. */
  public static final java.util.List<String> KEYS =
      java.util.List.of(
          CLEANUP_POLICY,
          MAX_MESSAGE_BYTES,
          RETENTION_BYTES,
          RETENTION_MS,
          SEGMENT_BYTES,
          SEGMENT_MS,
          TIMESTAMP_TYPE);

  public TopicConfig {
    overrides = Map.copyOf(overrides);
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      validate(entry.getKey(), entry.getValue());
    }
  }

  public static TopicConfig none() {
    return new TopicConfig(Map.of());
  }

  /** Checks one setting; throws {@link TopicException} with INVALID_CONFIG when it is wrong. */
  public static void validate(String key, String value) {
    if (!KEYS.contains(key)) {
      throw invalid("unknown or unsupported topic config '" + key + "'");
    }
    if (value == null) {
      throw invalid("config '" + key + "' needs a value");
    }
    switch (key) {
      case CLEANUP_POLICY -> {
        if (!value.equals("delete")) {
          throw invalid("cleanup.policy '" + value + "' is not supported; only 'delete'");
        }
      }
      case TIMESTAMP_TYPE -> {
        if (!value.equals("CreateTime") && !value.equals("LogAppendTime")) {
          throw invalid("message.timestamp.type must be CreateTime or LogAppendTime: " + value);
        }
      }
      case SEGMENT_BYTES, MAX_MESSAGE_BYTES -> {
        long parsed = number(key, value);
        if (parsed < (key.equals(SEGMENT_BYTES) ? 1024 : 64) || parsed > Integer.MAX_VALUE) {
          throw invalid(key + " out of range: " + value);
        }
      }
      case SEGMENT_MS -> {
        if (number(key, value) <= 0) {
          throw invalid(key + " must be positive: " + value);
        }
      }
      default -> {
        if (number(key, value) < -1) {
          throw invalid(key + " must be -1 or more: " + value);
        }
      }
    }
  }

  private static long number(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(key + " is not a number: '" + value + "'");
    }
  }

  private static TopicException invalid(String message) {
    return new TopicException(TopicException.Reason.INVALID_CONFIG, message);
  }

  /** This topic's log settings: the broker's defaults with the overrides applied. */
  public LogConfig toLogConfig(LogConfig defaults) {
    LogConfig config = defaults;
    long retentionMs = config.retentionMs();
    long retentionBytes = config.retentionBytes();
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      String value = entry.getValue().trim();
      switch (entry.getKey()) {
        case RETENTION_MS -> retentionMs = Long.parseLong(value);
        case RETENTION_BYTES -> retentionBytes = Long.parseLong(value);
        case SEGMENT_BYTES -> config = config.withSegmentBytes(Integer.parseInt(value));
        case SEGMENT_MS -> config = config.withSegmentMs(Long.parseLong(value));
        case MAX_MESSAGE_BYTES -> config = config.withMaxBatchBytes(Integer.parseInt(value));
        case TIMESTAMP_TYPE -> config = config.withLogAppendTime(value.equals("LogAppendTime"));
        default -> {}
      }
    }
    return config.withRetention(retentionBytes, retentionMs);
  }

  /** Every supported key with its effective value, and whether the topic overrides it. */
  public Map<String, Effective> effective(LogConfig defaults) {
    LogConfig config = toLogConfig(defaults);
    Map<String, String> values = new TreeMap<>();
    values.put(CLEANUP_POLICY, "delete");
    values.put(MAX_MESSAGE_BYTES, Integer.toString(config.maxBatchBytes()));
    values.put(RETENTION_BYTES, Long.toString(config.retentionBytes()));
    values.put(RETENTION_MS, Long.toString(config.retentionMs()));
    values.put(SEGMENT_BYTES, Integer.toString(config.segmentBytes()));
    values.put(SEGMENT_MS, Long.toString(config.segmentMs()));
    values.put(TIMESTAMP_TYPE, config.logAppendTime() ? "LogAppendTime" : "CreateTime");
    Map<String, Effective> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, new Effective(v, overrides.containsKey(k))));
    return result;
  }

  /**
   * An effective setting.
   *
   * @param value its value
   * @param overridden set on the topic rather than inherited
   */
  public record Effective(String value, boolean overridden) {}

  /** A copy with {@code changes} applied; a null value removes an override. */
  public TopicConfig with(Map<String, String> changes) {
    Map<String, String> merged = new TreeMap<>(overrides);
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            merged.remove(k);
          } else {
            merged.put(k, v);
          }
        });
    return new TopicConfig(merged);
  }
}
