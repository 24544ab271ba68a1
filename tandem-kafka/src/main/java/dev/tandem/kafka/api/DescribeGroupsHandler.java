package dev.tandem.kafka.api;

import dev.tandem.core.group.GroupDescription;
import dev.tandem.core.group.GroupState;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * DescribeGroups: state, protocol type and protocol, and the members with their client id, host,
 * metadata (when stable) and assignment. An unknown group is described as Dead; from v6 also with
 * GROUP_ID_NOT_FOUND (KIP-1043). With no authorizer, every operation on a group is authorized.
 */
public final class DescribeGroupsHandler implements KafkaApi {
  /** The operations Kafka supports on a group resource (AclEntry.supportedOperations). */
  private static final int GROUP_OPERATIONS =
      Utils.to32BitField(
          Set.of(
              AclOperation.READ.code(),
              AclOperation.DESCRIBE.code(),
              AclOperation.DELETE.code(),
              AclOperation.DESCRIBE_CONFIGS.code(),
              AclOperation.ALTER_CONFIGS.code()));

  private final KafkaNode kafka;

  public DescribeGroupsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DESCRIBE_GROUPS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DescribeGroupsRequestData data = request.data();
    short version = request.version();
    DescribeGroupsResponseData response = new DescribeGroupsResponseData();
    for (String groupId : data.groups()) {
      Optional<GroupDescription> found = kafka.node().groups().describe(groupId);
      DescribeGroupsResponseData.DescribedGroup described =
          found.isPresent()
              ? described(found.get(), version)
              : new DescribeGroupsResponseData.DescribedGroup()
                  .setGroupId(groupId)
                  .setGroupState(GroupState.DEAD.displayName());
      if (found.isEmpty() && version >= 6) {
        described
            .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
            .setErrorMessage("Group " + groupId + " not found.");
      }
      if (data.includeAuthorizedOperations()) {
        described.setAuthorizedOperations(GROUP_OPERATIONS);
      }
      response.groups().add(described);
    }
    return CompletableFuture.completedFuture(response);
  }

  private static DescribeGroupsResponseData.DescribedGroup described(
      GroupDescription group, short version) {
    DescribeGroupsResponseData.DescribedGroup described =
        new DescribeGroupsResponseData.DescribedGroup()
            .setGroupId(group.groupId())
            .setGroupState(group.state().displayName())
            .setProtocolType(group.protocolType())
            .setProtocolData(group.protocolName());
    for (GroupDescription.Member member : group.members()) {
      described
          .members()
          .add(
              new DescribeGroupsResponseData.DescribedGroupMember()
                  .setMemberId(member.memberId())
                  .setGroupInstanceId(version >= 4 ? member.groupInstanceId() : null)
                  .setClientId(member.clientId())
                  .setClientHost(member.clientHost())
                  .setMemberMetadata(member.metadata())
                  .setMemberAssignment(member.assignment()));
    }
    return described;
  }
}
