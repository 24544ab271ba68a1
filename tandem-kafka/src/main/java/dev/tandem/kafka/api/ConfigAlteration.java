package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicConfig;
import dev.tandem.core.topic.TopicException;
import dev.tandem.core.topic.Topics;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.requests.ApiError;

/**
 * What AlterConfigs and IncrementalAlterConfigs share, following Kafka's checks and their order: a
 * resource named twice, a key named twice or a null value is an INVALID_REQUEST; a broker resource
 * must be this broker or the cluster default, and since no broker config of Tandem can change at
 * runtime, setting one is refused as Kafka refuses a non-dynamic config (INVALID_REQUEST, "Cannot
 * update these configs dynamically"); a topic's resulting configs are validated as a whole
 * (INVALID_CONFIG) before its existence is checked, and validateOnly stops there.
 *
 * <p>Stateless apart from the node; thread-safe.
 */
final class ConfigAlteration {
  private final KafkaNode kafka;

  ConfigAlteration(KafkaNode kafka) {
    this.kafka = kafka;
  }

  /** Resource names (type and name) that occur more than once. */
  static <R> Set<String> duplicateResources(
      Iterable<R> resources, Function<R, Byte> type, Function<R, String> name) {
    Set<String> seen = new HashSet<>();
    Set<String> duplicates = new HashSet<>();
    for (R resource : resources) {
      String id = type.apply(resource) + "/" + name.apply(resource);
      if (!seen.add(id)) {
        duplicates.add(id);
      }
    }
    return duplicates;
  }

  static String resourceId(byte type, String name) {
    return type + "/" + name;
  }

  /** Refuses a request naming one config key twice. */
  static void checkNoDuplicateKeys(Collection<String> keys) {
    if (new HashSet<>(keys).size() != keys.size()) {
      throw new InvalidRequestException("Error due to duplicate config keys");
    }
  }

  /** Refuses null values for the named keys. */
  static void checkNoNullValues(List<String> keysWithNullValue) {
    if (!keysWithNullValue.isEmpty()) {
      throw new InvalidRequestException(
          "Null value not supported for : " + String.join(", ", keysWithNullValue));
    }
  }

  /** A broker resource's name must be this broker's id; the empty name (cluster default) is not. */
  static void checkBrokerName(String name, int nodeId) {
    int id;
    try {
      id = Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("Broker id must be an integer, but it is: " + name);
    }
    if (id != nodeId) {
      throw new InvalidRequestException(
          "Unexpected broker id, expected " + nodeId + " or empty string, but received " + name);
    }
  }

  /**
   * Checks a change of broker configs: {@code setKeys} are the keys given a value. Every broker
   * config of Tandem is static, so any such key is refused.
   */
  void alterBroker(String name, Collection<String> setKeys) {
    if (!name.isEmpty()) {
      checkBrokerName(name, kafka.nodeId());
    }
    if (!setKeys.isEmpty()) {
      throw new InvalidRequestException(
          "Cannot update these configs dynamically: Set(" + String.join(", ", setKeys) + ")");
    }
  }

  /**
   * Validates and, unless {@code validateOnly}, applies a change of a topic's configs.
   *
   * @param changes the changes, computed from the topic's current configs: each key to its new
   *     value, or to null to remove the override
   * @param replace whether the changes replace every override (legacy AlterConfigs)
   * @return the topic's configs after the change
   */
  TopicConfig alterTopic(
      String name,
      Function<TopicConfig, Map<String, String>> changes,
      boolean replace,
      boolean validateOnly) {
    if (name.isEmpty()) {
      throw new InvalidRequestException("Default topic resources are not allowed.");
    }
    Topics.validateName(name);
    Topics topics = kafka.node().topics();
    Optional<Topic> topic = topics.topic(name);
    TopicConfig current = topic.map(Topic::config).orElse(TopicConfig.none());
    Map<String, String> changed = changes.apply(current);
    TopicConfig result = replace ? new TopicConfig(changed) : current.with(changed);
    if (topic.isEmpty()) {
      throw new TopicException(TopicException.Reason.UNKNOWN_TOPIC, "unknown topic " + name);
    }
    if (!validateOnly) {
      topics.alterConfig(name, changed, replace);
    }
    return result;
  }

  /** The wire error of a refused resource. */
  static ApiError error(RuntimeException e) {
    if (e instanceof ApiException) {
      return ApiError.fromThrowable(e);
    }
    return new ApiError(KafkaErrors.of(e), KafkaErrors.message(e));
  }
}
