package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaApis;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/** ApiVersions: the APIs and versions this broker serves (KIP-35, KIP-511). */
public final class ApiVersionsHandler implements KafkaApi {
  private final Supplier<KafkaApis> apis;

  public ApiVersionsHandler(Supplier<KafkaApis> apis) {
    this.apis = apis;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.API_VERSIONS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    ApiVersionsResponseData response = new ApiVersionsResponseData();
    apis.get().advertised().forEach(v -> response.apiKeys().add(v));
    return CompletableFuture.completedFuture(response);
  }
}
