package dev.tandem.kafka.api;

import dev.tandem.core.group.CommittedOffset;
import dev.tandem.core.group.GroupError;
import dev.tandem.core.group.OffsetCommitRequest;
import dev.tandem.core.group.TopicPartition;
import dev.tandem.core.topic.Topic;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetCommit: stores a group's offsets once its generation and member check out (or as a simple
 * commit: generation -1, no member, empty group); answers once they are on disk. Partitions of
 * unknown topics get UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID at v10, where topics are named by
 * id). An unknown group with a real generation gets GROUP_ID_NOT_FOUND from v9 (KIP-848) and
 * ILLEGAL_GENERATION before, as in Kafka.
 */
public final class OffsetCommitHandler implements KafkaApi {
  private final KafkaNode kafka;

  public OffsetCommitHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.OFFSET_COMMIT;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    OffsetCommitRequestData data = request.data();
    short version = request.version();
    boolean byId = version >= 10;
    OffsetCommitResponseData response = new OffsetCommitResponseData();
    Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
    Map<TopicPartition, OffsetCommitResponseData.OffsetCommitResponsePartition> pending =
        new LinkedHashMap<>();
    for (OffsetCommitRequestData.OffsetCommitRequestTopic topicData : data.topics()) {
      Optional<Topic> topic =
          byId
              ? kafka.node().topics().topic(KafkaNode.fromKafka(topicData.topicId()))
              : kafka.node().topics().topic(topicData.name());
      OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
          new OffsetCommitResponseData.OffsetCommitResponseTopic();
      if (byId) {
        topicResponse.setTopicId(topicData.topicId());
      } else {
        topicResponse.setName(topicData.name());
      }
      response.topics().add(topicResponse);
      for (OffsetCommitRequestData.OffsetCommitRequestPartition partitionData :
          topicData.partitions()) {
        int index = partitionData.partitionIndex();
        OffsetCommitResponseData.OffsetCommitResponsePartition partitionResponse =
            new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(index);
        topicResponse.partitions().add(partitionResponse);
        if (topic.isEmpty()) {
          Errors error = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
          partitionResponse.setErrorCode(error.code());
        } else if (index < 0 || index >= topic.get().partitions().size()) {
          partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        } else {
          TopicPartition partition = new TopicPartition(topic.get().name(), index);
          offsets.put(
              partition,
              new CommittedOffset(
                  partitionData.committedOffset(),
                  partitionData.committedLeaderEpoch(),
                  partitionData.committedMetadata(),
                  -1));
          pending.put(partition, partitionResponse);
        }
      }
    }
    if (offsets.isEmpty()) {
      return CompletableFuture.completedFuture(response);
    }
    OffsetCommitRequest commit =
        new OffsetCommitRequest(
            data.groupId(),
            data.generationIdOrMemberEpoch(),
            data.memberId(),
            data.groupInstanceId(),
            offsets);
    return kafka
        .node()
        .groups()
        .commitOffsets(commit)
        .thenApply(
            results -> {
              results.forEach(
                  (partition, error) ->
                      pending.get(partition).setErrorCode(errorCode(error, version)));
              return response;
            });
  }

  private static short errorCode(GroupError error, short version) {
    if (error == GroupError.GROUP_ID_NOT_FOUND && version < 9) {
      return Errors.ILLEGAL_GENERATION.code();
    }
    return KafkaErrors.of(error).code();
  }
}
