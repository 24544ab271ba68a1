package dev.tandem.kafka.api;

import dev.tandem.core.group.JoinRequest;
import dev.tandem.core.group.JoinResult;
import dev.tandem.core.group.Protocol;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;

/**
 * JoinGroup: parks the request until the group's join phase ends (see core's group coordinator).
 * From v4 a new member first gets MEMBER_ID_REQUIRED with its id (KIP-394); from v9 a static leader
 * that rejoins a stable group may be told to skip the assignment (KIP-814). v0 has no rebalance
 * timeout: the session timeout stands in, as in Kafka.
 */
public final class JoinGroupHandler implements KafkaApi {
  private final KafkaNode kafka;

  public JoinGroupHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.JOIN_GROUP;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    JoinGroupRequestData data = request.data();
    short version = request.version();
    List<Protocol> protocols = new ArrayList<>();
    data.protocols().forEach(p -> protocols.add(new Protocol(p.name(), p.metadata())));
    JoinRequest join =
        new JoinRequest(
            data.groupId(),
            data.memberId(),
            data.groupInstanceId(),
            request.clientId(),
            clientHost(request.clientAddress()),
            data.sessionTimeoutMs(),
            data.rebalanceTimeoutMs(),
            data.protocolType(),
            protocols,
            JoinGroupRequest.requiresKnownMemberId(version),
            JoinGroupRequest.supportsSkippingAssignment(version));
    return kafka.node().groups().join(join).thenApply(result -> response(result, version));
  }

  private static ApiMessage response(JoinResult result, short version) {
    JoinGroupResponseData data =
        new JoinGroupResponseData()
            .setErrorCode(KafkaErrors.of(result.error()).code())
            .setGenerationId(result.generationId())
            .setProtocolName(result.protocolName())
            .setLeader(result.leaderId())
            .setMemberId(result.memberId());
    if (version >= 7) {
      data.setProtocolType(result.protocolType());
    }
    if (version >= 9) {
      data.setSkipAssignment(result.skipAssignment());
    }
    for (JoinResult.Member member : result.members()) {
      data.members()
          .add(
              new JoinGroupResponseData.JoinGroupResponseMember()
                  .setMemberId(member.memberId())
                  .setGroupInstanceId(version >= 5 ? member.groupInstanceId() : null)
                  .setMetadata(member.metadata()));
    }
    return new JoinGroupResponse(data, version).data();
  }

  /** The client's address as Kafka shows it in DescribeGroups, e.g. {@code /127.0.0.1}. */
  static String clientHost(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().toString();
    }
    return String.valueOf(address);
  }
}
