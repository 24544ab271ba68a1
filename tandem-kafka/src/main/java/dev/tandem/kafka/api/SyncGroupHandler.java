package dev.tandem.kafka.api;

import dev.tandem.core.group.GroupError;
import dev.tandem.core.group.SyncRequest;
import dev.tandem.core.group.SyncResult;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SyncGroupRequest;

/**
 * SyncGroup: the leader hands in every member's assignment; followers wait until it has. From v5
 * the protocol type and name are mandatory and checked against the group's (KIP-559).
 */
public final class SyncGroupHandler implements KafkaApi {
  private final KafkaNode kafka;

  public SyncGroupHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.SYNC_GROUP;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    SyncGroupRequestData data = request.data();
    short version = request.version();
    if (!((SyncGroupRequest) request.request()).areMandatoryProtocolTypeAndNamePresent()) {
      return CompletableFuture.completedFuture(
          response(SyncResult.failure(GroupError.INCONSISTENT_GROUP_PROTOCOL), version));
    }
    Map<String, byte[]> assignments = new HashMap<>();
    data.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
    SyncRequest sync =
        new SyncRequest(
            data.groupId(),
            data.generationId(),
            data.memberId(),
            data.groupInstanceId(),
            data.protocolType(),
            data.protocolName(),
            assignments);
    return kafka.node().groups().sync(sync).thenApply(result -> response(result, version));
  }

  private static ApiMessage response(SyncResult result, short version) {
    SyncGroupResponseData data =
        new SyncGroupResponseData()
            .setErrorCode(KafkaErrors.of(result.error()).code())
            .setAssignment(result.assignment());
    if (version >= 5) {
      data.setProtocolType(result.protocolType()).setProtocolName(result.protocolName());
    }
    return data;
  }
}
