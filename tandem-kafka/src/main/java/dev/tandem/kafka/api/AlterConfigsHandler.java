package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * AlterConfigs (KIP-133), the legacy form: the given configs replace every override of the
 * resource; validateOnly only validates. Topic and broker resources only, as Kafka's legacy API
 * (broker loggers need IncrementalAlterConfigs). Checks are {@link ConfigAlteration}'s. Stateless.
 */
public final class AlterConfigsHandler implements KafkaApi {
  private final ConfigAlteration alteration;

  public AlterConfigsHandler(KafkaNode kafka) {
    this.alteration = new ConfigAlteration(kafka);
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.ALTER_CONFIGS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    AlterConfigsRequestData data = request.data();
    Set<String> duplicates =
        ConfigAlteration.duplicateResources(
            data.resources(),
            AlterConfigsRequestData.AlterConfigsResource::resourceType,
            AlterConfigsRequestData.AlterConfigsResource::resourceName);
    AlterConfigsResponseData response = new AlterConfigsResponseData();
    for (AlterConfigsRequestData.AlterConfigsResource resource : data.resources()) {
      ApiError error;
      if (duplicates.contains(
          ConfigAlteration.resourceId(resource.resourceType(), resource.resourceName()))) {
        error = new ApiError(Errors.INVALID_REQUEST, "Each resource must appear at most once.");
      } else {
        error = alter(resource, data.validateOnly());
      }
      response
          .responses()
          .add(
              new AlterConfigsResponseData.AlterConfigsResourceResponse()
                  .setResourceType(resource.resourceType())
                  .setResourceName(resource.resourceName())
                  .setErrorCode(error.error().code())
                  .setErrorMessage(error.message()));
    }
    return CompletableFuture.completedFuture(response);
  }

  private ApiError alter(AlterConfigsRequestData.AlterConfigsResource resource, boolean validate) {
    try {
      List<String> keys = new ArrayList<>();
      List<String> nullValues = new ArrayList<>();
      Map<String, String> configs = new TreeMap<>();
      for (AlterConfigsRequestData.AlterableConfig config : resource.configs()) {
        keys.add(config.name());
        if (config.value() == null) {
          nullValues.add(config.name());
        } else {
          configs.put(config.name(), config.value());
        }
      }
      ConfigAlteration.checkNoDuplicateKeys(keys);
      ConfigAlteration.checkNoNullValues(nullValues);
      switch (ConfigResource.Type.forId(resource.resourceType())) {
        case TOPIC ->
            alteration.alterTopic(resource.resourceName(), current -> configs, true, validate);
        case BROKER -> alteration.alterBroker(resource.resourceName(), configs.keySet());
        default ->
            throw new InvalidRequestException("Unknown resource type " + resource.resourceType());
      }
      return ApiError.NONE;
    } catch (RuntimeException e) {
      return ConfigAlteration.error(e);
    }
  }
}
