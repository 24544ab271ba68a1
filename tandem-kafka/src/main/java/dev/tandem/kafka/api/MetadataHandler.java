package dev.tandem.kafka.api;

import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicException;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: this one broker, and the requested topics (all when the list is null), creating unknown
 * ones when the client allows it and auto-creation is on.
 */
public final class MetadataHandler implements KafkaApi {
  private final KafkaNode kafka;

  public MetadataHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.METADATA;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    MetadataRequestData data = request.data();
    MetadataResponseData response =
        new MetadataResponseData()
            .setClusterId(kafka.node().clusterId())
            .setControllerId(kafka.nodeId());
    response
        .brokers()
        .add(
            new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(kafka.nodeId())
                .setHost(kafka.advertisedHost())
                .setPort(kafka.advertisedPort()));
    Topics topics = kafka.node().topics();
    if (data.topics() == null) {
      topics.all().forEach(t -> response.topics().add(describe(t)));
      return CompletableFuture.completedFuture(response);
    }
    boolean autoCreate = request.version() < 4 || data.allowAutoTopicCreation();
    if (autoCreate
        && data.topics().stream()
            .anyMatch(t -> t.name() != null && topics.topic(t.name()).isEmpty())) {
      // Creating a topic waits on the disk: off the event loop, after admin work already queued.
      return OffLoop.run(() -> lookupAll(topics, data, response, true));
    }
    return CompletableFuture.completedFuture(lookupAll(topics, data, response, autoCreate));
  }

  private MetadataResponseData lookupAll(
      Topics topics, MetadataRequestData data, MetadataResponseData response, boolean autoCreate) {
    for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
      response.topics().add(lookup(topics, wanted, autoCreate));
    }
    return response;
  }

  private MetadataResponseData.MetadataResponseTopic lookup(
      Topics topics, MetadataRequestData.MetadataRequestTopic wanted, boolean autoCreate) {
    if (wanted.name() == null) {
      Optional<Topic> byId = topics.topic(KafkaNode.fromKafka(wanted.topicId()));
      return byId.map(this::describe)
          .orElseGet(() -> error(null, wanted.topicId(), Errors.UNKNOWN_TOPIC_ID));
    }
    try {
      Optional<Topic> topic = topics.topic(wanted.name());
      if (topic.isEmpty() && autoCreate) {
        topic = Optional.of(topics.topicOrAutoCreate(wanted.name()));
      }
      return topic
          .map(this::describe)
          .orElseGet(() -> error(wanted.name(), Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    } catch (TopicException e) {
      return error(wanted.name(), Uuid.ZERO_UUID, KafkaErrors.of(e));
    }
  }

  private static MetadataResponseData.MetadataResponseTopic error(
      String name, Uuid id, Errors error) {
    return new MetadataResponseData.MetadataResponseTopic()
        .setName(name)
        .setTopicId(id)
        .setErrorCode(error.code());
  }

  private MetadataResponseData.MetadataResponseTopic describe(Topic topic) {
    MetadataResponseData.MetadataResponseTopic described =
        new MetadataResponseData.MetadataResponseTopic()
            .setName(topic.name())
            .setTopicId(KafkaNode.toKafka(topic.id()))
            .setIsInternal(false);
    for (Partition partition : topic.partitions()) {
      described
          .partitions()
          .add(
              new MetadataResponseData.MetadataResponsePartition()
                  .setPartitionIndex(partition.index())
                  .setLeaderId(kafka.nodeId())
                  .setLeaderEpoch(0)
                  .setReplicaNodes(List.of(kafka.nodeId()))
                  .setIsrNodes(List.of(kafka.nodeId())));
    }
    return described;
  }
}
