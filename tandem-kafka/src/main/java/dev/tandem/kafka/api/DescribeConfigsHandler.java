package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * DescribeConfigs (KIP-133, synonyms and sources KIP-226, documentation and types KIP-569), v1-v4.
 *
 * <p>A topic resource lists every supported topic config ({@link ConfigCatalog}); a broker resource
 * named by this broker's id lists its read-only configs; the cluster-wide default broker resource
 * (an empty name) lists the dynamic cluster defaults, of which Tandem has none. Asked-for names
 * that do not exist are left out, as Kafka does. Broker loggers, groups and client-metrics
 * resources are refused with INVALID_REQUEST. Stateless.
 */
public final class DescribeConfigsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public DescribeConfigsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DESCRIBE_CONFIGS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DescribeConfigsRequestData data = request.data();
    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
    for (DescribeConfigsRequestData.DescribeConfigsResource resource : data.resources()) {
      DescribeConfigsResponseData.DescribeConfigsResult result =
          new DescribeConfigsResponseData.DescribeConfigsResult()
              .setResourceType(resource.resourceType())
              .setResourceName(resource.resourceName());
      try {
        result.setConfigs(
            describe(resource, data.includeSynonyms(), data.includeDocumentation(), result));
      } catch (RuntimeException e) {
        ApiError error = ConfigAlteration.error(e);
        result
            .setErrorCode(error.error().code())
            .setErrorMessage(error.message())
            .setConfigs(new ArrayList<>());
      }
      response.results().add(result);
    }
    return CompletableFuture.completedFuture(response);
  }

  private List<DescribeConfigsResourceResult> describe(
      DescribeConfigsRequestData.DescribeConfigsResource resource,
      boolean synonyms,
      boolean documentation,
      DescribeConfigsResponseData.DescribeConfigsResult result) {
    String name = resource.resourceName();
    ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
    switch (type) {
      case TOPIC -> {
        Topics.validateName(name);
        Topics topics = kafka.node().topics();
        Optional<Topic> topic = topics.topic(name);
        if (topic.isEmpty()) {
          result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
          return new ArrayList<>();
        }
        return ConfigCatalog.describeTopic(
            topic.get(), topics.defaults(), resource.configurationKeys(), synonyms, documentation);
      }
      case BROKER -> {
        if (name == null || name.isEmpty()) {
          return new ArrayList<>();
        }
        ConfigAlteration.checkBrokerName(name, kafka.nodeId());
        return ConfigCatalog.describeBroker(
            kafka, resource.configurationKeys(), synonyms, documentation);
      }
      default ->
          throw new InvalidRequestException(
              "Tandem does not describe configs of resource type " + type);
    }
  }
}
