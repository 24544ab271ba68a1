package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Heartbeat: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. Answered at
 * once: it only takes the group's lock.
 */
public final class HeartbeatHandler implements KafkaApi {
  private final KafkaNode kafka;

  public HeartbeatHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.HEARTBEAT;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    HeartbeatRequestData data = request.data();
    var error =
        kafka
            .node()
            .groups()
            .heartbeat(
                data.groupId(), data.memberId(), data.groupInstanceId(), data.generationId());
    return CompletableFuture.completedFuture(
        new HeartbeatResponseData().setErrorCode(KafkaErrors.of(error).code()));
  }
}
