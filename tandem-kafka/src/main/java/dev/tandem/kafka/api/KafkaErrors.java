package dev.tandem.kafka.api;

import dev.tandem.core.group.GroupError;
import dev.tandem.core.producer.ProducerException;
import dev.tandem.core.topic.TopicException;
import dev.tandem.storage.log.CorruptRecordException;
import dev.tandem.storage.log.LogOfflineException;
import dev.tandem.storage.log.OffsetOutOfRangeException;
import dev.tandem.storage.log.RecordTooLargeException;
import dev.tandem.storage.log.StorageFullException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns domain and storage failures into Kafka error codes. Stateless. */
public final class KafkaErrors {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaErrors.class);

  private KafkaErrors() {}

  public static Errors of(Throwable failure) {
    Throwable e = failure;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof TopicException topic) {
      return switch (topic.reason()) {
        case UNKNOWN_TOPIC, UNKNOWN_PARTITION -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
        case TOPIC_EXISTS -> Errors.TOPIC_ALREADY_EXISTS;
        case INVALID_NAME, NAME_TAKEN -> Errors.INVALID_TOPIC_EXCEPTION;
        case INVALID_PARTITIONS -> Errors.INVALID_PARTITIONS;
        case INVALID_CONFIG -> Errors.INVALID_CONFIG;
      };
    }
    if (e instanceof ProducerException producer) {
      return switch (producer.reason()) {
        case OUT_OF_ORDER_SEQUENCE -> Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
        case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
      };
    }
    if (e instanceof CorruptRecordException) {
      return Errors.CORRUPT_MESSAGE;
    }
    if (e instanceof RecordTooLargeException) {
      return Errors.MESSAGE_TOO_LARGE;
    }
    if (e instanceof OffsetOutOfRangeException) {
      return Errors.OFFSET_OUT_OF_RANGE;
    }
    if (e instanceof StorageFullException || e instanceof LogOfflineException) {
      return Errors.KAFKA_STORAGE_ERROR;
    }
    LOG.warn("unexpected failure", e);
    return Errors.UNKNOWN_SERVER_ERROR;
  }

  /** A group coordinator's answer as a Kafka error code; the names are Kafka's own. */
  public static Errors of(GroupError error) {
    return switch (error) {
      case NONE -> Errors.NONE;
      case INVALID_GROUP_ID -> Errors.INVALID_GROUP_ID;
      case GROUP_ID_NOT_FOUND -> Errors.GROUP_ID_NOT_FOUND;
      case UNKNOWN_MEMBER_ID -> Errors.UNKNOWN_MEMBER_ID;
      case MEMBER_ID_REQUIRED -> Errors.MEMBER_ID_REQUIRED;
      case ILLEGAL_GENERATION -> Errors.ILLEGAL_GENERATION;
      case REBALANCE_IN_PROGRESS -> Errors.REBALANCE_IN_PROGRESS;
      case INCONSISTENT_GROUP_PROTOCOL -> Errors.INCONSISTENT_GROUP_PROTOCOL;
      case INVALID_SESSION_TIMEOUT -> Errors.INVALID_SESSION_TIMEOUT;
      case FENCED_INSTANCE_ID -> Errors.FENCED_INSTANCE_ID;
      case GROUP_MAX_SIZE_REACHED -> Errors.GROUP_MAX_SIZE_REACHED;
      case NON_EMPTY_GROUP -> Errors.NON_EMPTY_GROUP;
      case GROUP_SUBSCRIBED_TO_TOPIC -> Errors.GROUP_SUBSCRIBED_TO_TOPIC;
      case OFFSET_METADATA_TOO_LARGE -> Errors.OFFSET_METADATA_TOO_LARGE;
      case COORDINATOR_NOT_AVAILABLE -> Errors.COORDINATOR_NOT_AVAILABLE;
    };
  }

  /** The failure's message, for responses that carry one. */
  public static String message(Throwable failure) {
    Throwable e = failure;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
