package dev.tandem.kafka.api;

import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicException;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.AppendResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Produce: appends each partition's batches as sent. With acks=0 there is no response; otherwise
 * the response waits until every partition's append is as durable as its log's policy demands (one
 * node: acks=1 and acks=all wait for the same thing).
 */
public final class ProduceHandler implements KafkaApi {
  private final KafkaNode kafka;

  public ProduceHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.PRODUCE;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    ProduceRequestData data = request.data();
    ProduceResponseData response = new ProduceResponseData();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    if (data.transactionalId() != null) {
      return CompletableFuture.completedFuture(
          refuseAll(
              data,
              Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
              "transactions are not supported"));
    }
    for (ProduceRequestData.TopicProduceData topicData : data.topicData()) {
      ProduceResponseData.TopicProduceResponse topicResponse =
          new ProduceResponseData.TopicProduceResponse()
              .setName(topicData.name())
              .setTopicId(topicData.topicId());
      response.responses().add(topicResponse);
      Optional<Topic> topic =
          topicData.name() != null && !topicData.name().isEmpty()
              ? kafka.node().topics().topic(topicData.name())
              : kafka.node().topics().topic(KafkaNode.fromKafka(topicData.topicId()));
      for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
        ProduceResponseData.PartitionProduceResponse partitionResponse =
            new ProduceResponseData.PartitionProduceResponse().setIndex(partitionData.index());
        topicResponse.partitionResponses().add(partitionResponse);
        pending.add(append(topic, partitionData, partitionResponse, request.version()));
      }
    }
    if (data.acks() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> response);
  }

  private CompletableFuture<?> append(
      Optional<Topic> topic,
      ProduceRequestData.PartitionProduceData data,
      ProduceResponseData.PartitionProduceResponse response,
      short version) {
    if (topic.isEmpty()) {
      fail(
          response,
          version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION,
          null);
      return CompletableFuture.completedFuture(null);
    }
    if (!(data.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0) {
      fail(response, Errors.CORRUPT_MESSAGE, "no record batch");
      return CompletableFuture.completedFuture(null);
    }
    try {
      Partition partition = topic.get().partition(data.index());
      ByteBuffer batches = records.buffer().duplicate();
      return partition
          .append(batches)
          .handle(
              (result, failure) -> {
                if (failure != null) {
                  fail(response, KafkaErrors.of(failure), KafkaErrors.message(failure));
                } else {
                  succeed(response, result);
                }
                return null;
              });
    } catch (TopicException | dev.tandem.core.producer.ProducerException e) {
      fail(response, KafkaErrors.of(e), e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
  }

  private static void succeed(
      ProduceResponseData.PartitionProduceResponse response, AppendResult result) {
    response
        .setErrorCode(Errors.NONE.code())
        .setBaseOffset(result.firstOffset())
        .setLogAppendTimeMs(result.logAppendTime())
        .setLogStartOffset(result.logStartOffset());
  }

  private static void fail(
      ProduceResponseData.PartitionProduceResponse response, Errors error, String message) {
    response
        .setErrorCode(error.code())
        .setErrorMessage(message)
        .setBaseOffset(-1)
        .setLogAppendTimeMs(-1)
        .setLogStartOffset(-1);
  }

  private static ProduceResponseData refuseAll(
      ProduceRequestData data, Errors error, String message) {
    ProduceResponseData response = new ProduceResponseData();
    for (ProduceRequestData.TopicProduceData topicData : data.topicData()) {
      ProduceResponseData.TopicProduceResponse topicResponse =
          new ProduceResponseData.TopicProduceResponse()
              .setName(topicData.name())
              .setTopicId(topicData.topicId());
      for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
        ProduceResponseData.PartitionProduceResponse partitionResponse =
            new ProduceResponseData.PartitionProduceResponse().setIndex(partitionData.index());
        fail(partitionResponse, error, message);
        topicResponse.partitionResponses().add(partitionResponse);
      }
      response.responses().add(topicResponse);
    }
    return response;
  }
}
