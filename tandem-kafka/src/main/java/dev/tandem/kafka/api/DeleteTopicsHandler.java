package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicException;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** DeleteTopics, by name (all versions) or by topic id (v6 and later). */
public final class DeleteTopicsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public DeleteTopicsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DELETE_TOPICS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DeleteTopicsRequestData data = request.data();
    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
    for (String name : data.topicNames()) {
      response.responses().add(delete(kafka.node().topics().topic(name), name, Uuid.ZERO_UUID));
    }
    for (DeleteTopicsRequestData.DeleteTopicState state : data.topics()) {
      Optional<Topic> topic =
          state.name() != null
              ? kafka.node().topics().topic(state.name())
              : kafka.node().topics().topic(KafkaNode.fromKafka(state.topicId()));
      response.responses().add(delete(topic, state.name(), state.topicId()));
    }
    return CompletableFuture.completedFuture(response);
  }

  private DeleteTopicsResponseData.DeletableTopicResult delete(
      Optional<Topic> topic, String name, Uuid id) {
    DeleteTopicsResponseData.DeletableTopicResult result =
        new DeleteTopicsResponseData.DeletableTopicResult().setName(name).setTopicId(id);
    if (topic.isEmpty()) {
      Errors error = name == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
      return result.setErrorCode(error.code());
    }
    try {
      kafka.node().topics().delete(topic.get().name());
      return result.setName(topic.get().name()).setTopicId(KafkaNode.toKafka(topic.get().id()));
    } catch (TopicException e) {
      return result.setErrorCode(KafkaErrors.of(e).code()).setErrorMessage(e.getMessage());
    }
  }
}
