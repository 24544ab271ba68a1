package dev.tandem.kafka.network;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The Kafka APIs this broker serves, by key, and the version ranges it advertises. Only APIs with a
 * handler are advertised. Immutable after construction; thread-safe.
 */
public final class KafkaApis {
  private final Map<ApiKeys, KafkaApi> apis = new EnumMap<>(ApiKeys.class);

  public KafkaApis(Collection<KafkaApi> handlers) {
    for (KafkaApi api : handlers) {
      if (apis.put(api.key(), api) != null) {
        throw new IllegalArgumentException("two handlers for " + api.key());
      }
    }
  }

  public KafkaApi api(ApiKeys key) {
    return apis.get(key);
  }

  /**
   * The ApiVersions list. Produce is advertised from v0 although only v3 and later are served:
   * librdkafka refuses a broker that does not list Produce v0 (KAFKA-18659), and Kafka 4 brokers
   * advertise it for that reason.
   */
  public List<ApiVersionsResponseData.ApiVersion> advertised() {
    return apis.values().stream()
        .map(
            api ->
                new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(api.key().id)
                    .setMinVersion(api.key() == ApiKeys.PRODUCE ? 0 : api.oldestVersion())
                    .setMaxVersion(api.latestVersion()))
        .toList();
  }
}
