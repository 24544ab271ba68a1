package dev.tandem.kafka.api;

import dev.tandem.core.group.GroupError;
import dev.tandem.core.group.OffsetDeleteResult;
import dev.tandem.core.group.TopicPartition;
import dev.tandem.core.topic.Topic;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetDelete (KIP-496): deletes a group's committed offsets, except, while the group has
 * consumers, those of topics they subscribe to (GROUP_SUBSCRIBED_TO_TOPIC). A group with members
 * that are not Kafka consumers gets NON_EMPTY_GROUP.
 */
public final class OffsetDeleteHandler implements KafkaApi {
  private static final ConsumerSubscriptions SUBSCRIPTIONS = new ConsumerSubscriptions();

  private final KafkaNode kafka;

  public OffsetDeleteHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.OFFSET_DELETE;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    OffsetDeleteRequestData data = request.data();
    OffsetDeleteResponseData response = new OffsetDeleteResponseData();
    Map<TopicPartition, OffsetDeleteResponseData.OffsetDeleteResponsePartition> pending =
        new LinkedHashMap<>();
    List<TopicPartition> partitions = new ArrayList<>();
    for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topicData : data.topics()) {
      Optional<Topic> topic = kafka.node().topics().topic(topicData.name());
      OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
          new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topicData.name());
      response.topics().add(topicResponse);
      for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partitionData :
          topicData.partitions()) {
        int index = partitionData.partitionIndex();
        OffsetDeleteResponseData.OffsetDeleteResponsePartition partitionResponse =
            new OffsetDeleteResponseData.OffsetDeleteResponsePartition().setPartitionIndex(index);
        topicResponse.partitions().add(partitionResponse);
        if (topic.isEmpty() || index < 0 || index >= topic.get().partitions().size()) {
          partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        } else {
          TopicPartition partition = new TopicPartition(topicData.name(), index);
          partitions.add(partition);
          pending.put(partition, partitionResponse);
        }
      }
    }
    return kafka
        .node()
        .groups()
        .deleteOffsets(data.groupId(), partitions, SUBSCRIPTIONS)
        .thenApply(result -> response(result, response, pending));
  }

  private static ApiMessage response(
      OffsetDeleteResult result,
      OffsetDeleteResponseData response,
      Map<TopicPartition, OffsetDeleteResponseData.OffsetDeleteResponsePartition> pending) {
    if (result.error() != GroupError.NONE) {
      return new OffsetDeleteResponseData().setErrorCode(KafkaErrors.of(result.error()).code());
    }
    result
        .partitions()
        .forEach(
            (partition, error) ->
                pending.get(partition).setErrorCode(KafkaErrors.of(error).code()));
    return response;
  }
}
