package dev.tandem.kafka.api;

import dev.tandem.core.group.GroupError;
import dev.tandem.core.group.LeaveResult;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;

/**
 * LeaveGroup: v0-2 name one member; v3+ a batch, where a static member may be named by its instance
 * id alone (KIP-345). Members leave at once and the group rebalances.
 */
public final class LeaveGroupHandler implements KafkaApi {
  private final KafkaNode kafka;

  public LeaveGroupHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.LEAVE_GROUP;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    LeaveGroupRequestData data = request.data();
    List<LeaveResult.Member> leaving = new ArrayList<>();
    for (LeaveGroupRequestData.MemberIdentity member :
        ((LeaveGroupRequest) request.request()).members()) {
      leaving.add(
          new LeaveResult.Member(member.memberId(), member.groupInstanceId(), GroupError.NONE));
    }
    LeaveResult result = kafka.node().groups().leave(data.groupId(), leaving);
    List<LeaveGroupResponseData.MemberResponse> members = new ArrayList<>();
    for (LeaveResult.Member member : result.members()) {
      members.add(
          new LeaveGroupResponseData.MemberResponse()
              .setMemberId(member.memberId())
              .setGroupInstanceId(member.groupInstanceId())
              .setErrorCode(KafkaErrors.of(member.error()).code()));
    }
    return CompletableFuture.completedFuture(
        new LeaveGroupResponse(members, KafkaErrors.of(result.error()), 0, request.version())
            .data());
  }
}
