package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicException;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.Log;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * ListOffsets: earliest (-2, and earliest-local -4: every record is local), latest (-1: the high
 * watermark), the record with the largest timestamp (-3, KIP-734: its first occurrence) and the
 * first record at or after a timestamp. Other negative queries (-5, earliest pending upload) get
 * UNSUPPORTED_VERSION: there is no tiered storage.
 */
public final class ListOffsetsHandler implements KafkaApi {
  private static final long LATEST = -1;
  private static final long EARLIEST = -2;
  private static final long MAX_TIMESTAMP = -3;
  private static final long EARLIEST_LOCAL = -4;

  private final KafkaNode kafka;

  public ListOffsetsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.LIST_OFFSETS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    ListOffsetsRequestData data = request.data();
    ListOffsetsResponseData response = new ListOffsetsResponseData();
    for (ListOffsetsRequestData.ListOffsetsTopic topicData : data.topics()) {
      ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
          new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topicData.name());
      response.topics().add(topicResponse);
      Optional<Topic> topic = kafka.node().topics().topic(topicData.name());
      for (ListOffsetsRequestData.ListOffsetsPartition partitionData : topicData.partitions()) {
        topicResponse.partitions().add(answer(topic, partitionData, request.version()));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  private static ListOffsetsResponseData.ListOffsetsPartitionResponse answer(
      Optional<Topic> topic, ListOffsetsRequestData.ListOffsetsPartition wanted, short version) {
    ListOffsetsResponseData.ListOffsetsPartitionResponse response =
        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
            .setPartitionIndex(wanted.partitionIndex())
            .setOffset(-1)
            .setTimestamp(-1)
            .setLeaderEpoch(version >= 4 ? 0 : -1);
    if (topic.isEmpty()) {
      return response.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    try {
      Log log = topic.get().partition(wanted.partitionIndex()).log();
      long timestamp = wanted.timestamp();
      if (timestamp == LATEST) {
        return response.setOffset(log.highWatermark());
      }
      if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
        return response.setOffset(log.startOffset());
      }
      if (timestamp == MAX_TIMESTAMP) {
        long max = log.maxTimestamp();
        return max < 0 ? response : byTimestamp(log, max, response);
      }
      if (timestamp < 0) {
        return response.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
      }
      return byTimestamp(log, timestamp, response);
    } catch (TopicException | IOException e) {
      return response.setErrorCode(KafkaErrors.of(e).code());
    }
  }

  /** Finds the batch from the log's time index, then the exact record inside it. */
  private static ListOffsetsResponseData.ListOffsetsPartitionResponse byTimestamp(
      Log log, long timestamp, ListOffsetsResponseData.ListOffsetsPartitionResponse response)
      throws IOException {
    long batchOffset = log.offsetForTimestamp(timestamp);
    while (batchOffset >= 0 && batchOffset < log.highWatermark()) {
      MemoryRecords records =
          MemoryRecords.readableRecords(log.read(batchOffset, 1, true).readAll());
      long next = -1;
      for (RecordBatch batch : records.batches()) {
        for (Record record : batch) {
          long recordTime =
              batch.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                  ? batch.maxTimestamp()
                  : record.timestamp();
          if (record.offset() >= batchOffset && recordTime >= timestamp) {
            return response.setOffset(record.offset()).setTimestamp(recordTime);
          }
        }
        next = batch.nextOffset();
      }
      batchOffset = next;
    }
    return response;
  }
}
