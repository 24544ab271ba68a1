package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicConfig;
import dev.tandem.core.topic.TopicException;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics. One broker: a replication factor other than 1 (or -1, the default) is refused, as
 * are manual replica assignments naming other brokers.
 */
public final class CreateTopicsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public CreateTopicsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.CREATE_TOPICS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    CreateTopicsRequestData data = request.data();
    CreateTopicsResponseData response = new CreateTopicsResponseData();
    for (CreateTopicsRequestData.CreatableTopic wanted : data.topics()) {
      response.topics().add(create(wanted, data.validateOnly()));
    }
    return CompletableFuture.completedFuture(response);
  }

  private CreateTopicsResponseData.CreatableTopicResult create(
      CreateTopicsRequestData.CreatableTopic wanted, boolean validateOnly) {
    CreateTopicsResponseData.CreatableTopicResult result =
        new CreateTopicsResponseData.CreatableTopicResult().setName(wanted.name());
    Topics topics = kafka.node().topics();
    try {
      if (wanted.replicationFactor() != -1 && wanted.replicationFactor() != 1) {
        return result
            .setErrorCode(Errors.INVALID_REPLICATION_FACTOR.code())
            .setErrorMessage(
                "replication factor "
                    + wanted.replicationFactor()
                    + " larger than the 1 available broker");
      }
      int partitions = wanted.numPartitions();
      if (!wanted.assignments().isEmpty()) {
        partitions = wanted.assignments().size();
      }
      Map<String, String> configs = new TreeMap<>();
      wanted.configs().forEach(c -> configs.put(c.name(), c.value()));
      if (validateOnly) {
        Topics.validateName(wanted.name());
        configs.forEach(TopicConfig::validate);
        if (topics.topic(wanted.name()).isPresent()) {
          throw new TopicException(
              TopicException.Reason.TOPIC_EXISTS, "topic " + wanted.name() + " already exists");
        }
        return result
            .setNumPartitions(partitions == -1 ? topics.defaults().partitions() : partitions)
            .setReplicationFactor((short) 1);
      }
      Topic topic = topics.create(wanted.name(), partitions, configs);
      return result
          .setTopicId(KafkaNode.toKafka(topic.id()))
          .setNumPartitions(topic.partitions().size())
          .setReplicationFactor((short) 1);
    } catch (TopicException e) {
      return result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
    }
  }
}
