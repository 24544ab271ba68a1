package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.OffsetOutOfRangeException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DeleteRecords (KIP-107): moves each partition's log start offset up to the given offset (-1 means
 * the high watermark) and answers the new low watermark. An offset beyond the high watermark, or
 * negative, is OFFSET_OUT_OF_RANGE; an offset below the start changes nothing. Whole segments below
 * the new start are deleted at once; reads below it fail with OFFSET_OUT_OF_RANGE. With one replica
 * there is nothing to wait for, so the timeout is never reached. Stateless.
 */
public final class DeleteRecordsHandler implements KafkaApi {
  /** The offset meaning "up to the high watermark" (DeleteRecordsRequest.HIGH_WATERMARK). */
  private static final long HIGH_WATERMARK = -1;

  /** The low watermark of a partition in error (DeleteRecordsResponse.INVALID_LOW_WATERMARK). */
  private static final long INVALID_LOW_WATERMARK = -1;

  private final KafkaNode kafka;

  public DeleteRecordsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DELETE_RECORDS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DeleteRecordsRequestData data = request.data();
    DeleteRecordsResponseData response = new DeleteRecordsResponseData();
    for (DeleteRecordsTopic wanted : data.topics()) {
      DeleteRecordsTopicResult result = response.topics().find(wanted.name());
      if (result == null) {
        result = new DeleteRecordsTopicResult().setName(wanted.name());
        response.topics().add(result);
      }
      Optional<Topic> topic = kafka.node().topics().topic(wanted.name());
      for (DeleteRecordsPartition partition : wanted.partitions()) {
        result.partitions().add(delete(topic, partition));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  private static DeleteRecordsPartitionResult delete(
      Optional<Topic> topic, DeleteRecordsPartition wanted) {
    DeleteRecordsPartitionResult result =
        new DeleteRecordsPartitionResult()
            .setPartitionIndex(wanted.partitionIndex())
            .setLowWatermark(INVALID_LOW_WATERMARK);
    if (topic.isEmpty()) {
      return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    try {
      Log log = topic.get().partition(wanted.partitionIndex()).log();
      long offset = wanted.offset() == HIGH_WATERMARK ? log.highWatermark() : wanted.offset();
      if (offset < 0) {
        throw new OffsetOutOfRangeException(
            "The offset " + offset + " for partition " + wanted.partitionIndex() + " is not valid");
      }
      log.deleteRecordsBefore(offset);
      return result.setLowWatermark(log.startOffset());
    } catch (IOException | RuntimeException e) {
      return result.setErrorCode(KafkaErrors.of(e).code());
    }
  }
}
