package dev.tandem.kafka.api;

import dev.tandem.core.topic.TopicConfig;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.LogConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * IncrementalAlterConfigs (KIP-339): SET and DELETE change one key each, the other overrides stay.
 * APPEND and SUBTRACT work on list configs only (cleanup.policy), on its current value; on any
 * other key they are INVALID_CONFIG, with Kafka's message. Deleting a key that is not set does
 * nothing. All changes of one resource succeed or fail together; validateOnly only validates.
 * Checks are {@link ConfigAlteration}'s. Stateless.
 */
public final class IncrementalAlterConfigsHandler implements KafkaApi {
  private final KafkaNode kafka;
  private final ConfigAlteration alteration;

  public IncrementalAlterConfigsHandler(KafkaNode kafka) {
    this.kafka = kafka;
    this.alteration = new ConfigAlteration(kafka);
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    IncrementalAlterConfigsRequestData data = request.data();
    Set<String> duplicates =
        ConfigAlteration.duplicateResources(
            data.resources(),
            AlterConfigsResource::resourceType,
            AlterConfigsResource::resourceName);
    IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
    for (AlterConfigsResource resource : data.resources()) {
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
              new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                  .setResourceType(resource.resourceType())
                  .setResourceName(resource.resourceName())
                  .setErrorCode(error.error().code())
                  .setErrorMessage(error.message()));
    }
    return CompletableFuture.completedFuture(response);
  }

  /** One requested operation on one key. */
  private record Operation(String key, OpType op, String value) {}

  private ApiError alter(AlterConfigsResource resource, boolean validateOnly) {
    try {
      List<String> keys = new ArrayList<>();
      List<String> nullValues = new ArrayList<>();
      Set<String> setKeys = new LinkedHashSet<>();
      List<Operation> operations = new ArrayList<>();
      for (AlterableConfig config : resource.configs()) {
        keys.add(config.name());
        OpType op = OpType.forId(config.configOperation());
        if (op == null) {
          throw new InvalidRequestException("Unknown operations type " + config.configOperation());
        }
        if (op != OpType.DELETE) {
          setKeys.add(config.name());
          if (config.value() == null) {
            nullValues.add(config.name());
          }
        }
        operations.add(new Operation(config.name(), op, config.value()));
      }
      ConfigAlteration.checkNoDuplicateKeys(keys);
      ConfigAlteration.checkNoNullValues(nullValues);
      switch (ConfigResource.Type.forId(resource.resourceType())) {
        case TOPIC ->
            alteration.alterTopic(
                resource.resourceName(),
                current -> changes(operations, current),
                false,
                validateOnly);
        case BROKER -> alteration.alterBroker(resource.resourceName(), setKeys);
        case BROKER_LOGGER ->
            throw new InvalidRequestException("Tandem does not change log levels at runtime");
        default ->
            throw new InvalidRequestException("Unknown resource type " + resource.resourceType());
      }
      return ApiError.NONE;
    } catch (RuntimeException e) {
      return ConfigAlteration.error(e);
    }
  }

  /** Each changed key to its new value, or to null to remove its override. */
  private Map<String, String> changes(List<Operation> operations, TopicConfig current) {
    Map<String, String> changes = new HashMap<>();
    for (Operation operation : operations) {
      String key = operation.key();
      switch (operation.op()) {
        case SET -> changes.put(key, operation.value());
        case DELETE -> changes.put(key, null);
        case APPEND, SUBTRACT ->
            changes.put(key, listOp(operation.op(), key, operation.value(), current));
      }
    }
    return changes;
  }

  /** The list {@code key} holds after APPEND or SUBTRACT of the comma-separated {@code value}. */
  private String listOp(OpType op, String key, String value, TopicConfig current) {
    if (!ConfigCatalog.isList(key)) {
      throw new InvalidConfigurationException(
          "Can't " + op + " to key " + key + " because its type is not LIST.");
    }
    String before = current.overrides().get(key);
    if (before == null) {
      LogConfig defaults = kafka.node().topics().defaults().log();
      before = TopicConfig.none().effective(defaults).get(key).value();
    }
    Set<String> items = new LinkedHashSet<>();
    for (String item : before.split(",")) {
      if (!item.isEmpty()) {
        items.add(item);
      }
    }
    for (String item : value.split(",")) {
      if (op == OpType.APPEND) {
        items.add(item);
      } else {
        items.remove(item);
      }
    }
    return String.join(",", items);
  }
}
