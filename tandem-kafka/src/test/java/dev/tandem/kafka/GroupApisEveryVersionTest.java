package dev.tandem.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.Node;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.api.KafkaNode;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaApis;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every advertised version of every group API, through the handlers: requests as clients encode
 * them, responses encoded and parsed back at the same version (a field a version lacks must not be
 * set), and the answers a client of that version expects.
 */
class GroupApisEveryVersionTest {
  @TempDir Path dataDir;
  private LogDirectory directory;
  private KafkaApis apis;
  private Topic topic;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dataDir);
    Node node =
        Node.open(
            directory,
            new Topics.TopicDefaults(LogConfig.DEFAULT, 1, true),
            KafkaTestBroker.GROUPS);
    topic = node.topics().create("t", 2, Map.of());
    apis = new KafkaProtocol(new KafkaNode(node, 7, "broker.example", 9092), 1 << 20).apis();
  }

  @AfterEach
  void close() throws Exception {
    directory.close();
  }

  /** Sends {@code data} as a client of {@code version} would, returns the parsed response. */
  @SuppressWarnings("unchecked")
  private <T extends ApiMessage> T call(ApiKeys key, ApiMessage data, int version)
      throws Exception {
    short v = (short) version;
    ByteBuffer encoded = MessageUtil.toByteBufferAccessor(data, v).buffer();
    AbstractRequest request =
        AbstractRequest.parseRequest(
                key, v, new org.apache.kafka.common.protocol.ByteBufferAccessor(encoded))
            .request;
    KafkaApi api = apis.api(key);
    assertThat(version).isBetween((int) api.oldestVersion(), (int) api.latestVersion());
    ApiMessage response =
        api.handle(
                new KafkaRequest(
                    new RequestHeader(key, v, "client", 1),
                    request,
                    new InetSocketAddress("127.0.0.1", 5555)))
            .get(10, TimeUnit.SECONDS);
    ByteBuffer bytes = MessageUtil.toByteBufferAccessor(response, v).buffer();
    AbstractResponse parsed =
        AbstractResponse.parseResponse(
            key, new org.apache.kafka.common.protocol.ByteBufferAccessor(bytes), v);
    return (T) parsed.data();
  }

  @Test
  void shouldAdvertiseTheVersionsOfKafkaClients44() {
    for (ApiKeys key :
        List.of(
            ApiKeys.FIND_COORDINATOR,
            ApiKeys.JOIN_GROUP,
            ApiKeys.SYNC_GROUP,
            ApiKeys.HEARTBEAT,
            ApiKeys.LEAVE_GROUP,
            ApiKeys.OFFSET_COMMIT,
            ApiKeys.OFFSET_FETCH,
            ApiKeys.OFFSET_DELETE,
            ApiKeys.LIST_GROUPS,
            ApiKeys.DESCRIBE_GROUPS,
            ApiKeys.DELETE_GROUPS)) {
      assertThat(apis.api(key).oldestVersion()).isEqualTo(key.oldestVersion());
      assertThat(apis.api(key).latestVersion()).isEqualTo(key.latestVersion());
    }
    assertThat(apis.api(ApiKeys.CONSUMER_GROUP_HEARTBEAT)).isNull();
  }

  @Test
  void shouldFindThisNodeAsGroupCoordinatorAtEveryVersion() throws Exception {
    for (int v = 0; v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
      FindCoordinatorRequestData data = new FindCoordinatorRequestData();
      if (v >= 4) {
        data.setCoordinatorKeys(List.of("g", "h"));
      } else {
        data.setKey("g");
      }
      var response =
          call(ApiKeys.FIND_COORDINATOR, data, v)
                  instanceof org.apache.kafka.common.message.FindCoordinatorResponseData r
              ? r
              : null;
      if (v >= 4) {
        assertThat(response.coordinators()).hasSize(2);
        assertThat(response.coordinators().get(1).nodeId()).isEqualTo(7);
        assertThat(response.coordinators().get(1).port()).isEqualTo(9092);
      } else {
        assertThat(response.nodeId()).isEqualTo(7);
        assertThat(response.host()).isEqualTo("broker.example");
      }
      if (v >= 1) {
        FindCoordinatorRequestData transaction =
            new FindCoordinatorRequestData().setKeyType((byte) 1);
        if (v >= 4) {
          transaction.setCoordinatorKeys(List.of("tx"));
        } else {
          transaction.setKey("tx");
        }
        var refused =
            (org.apache.kafka.common.message.FindCoordinatorResponseData)
                call(ApiKeys.FIND_COORDINATOR, transaction, v);
        short error = v >= 4 ? refused.coordinators().get(0).errorCode() : refused.errorCode();
        assertThat(Errors.forCode(error)).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      }
    }
  }

  @Test
  void shouldRunAGroupThroughJoinSyncHeartbeatAndLeaveAtEveryVersion() throws Exception {
    for (int v = 0; v <= ApiKeys.JOIN_GROUP.latestVersion(); v++) {
      String group = "group-v" + v;
      JoinGroupRequestData join =
          new JoinGroupRequestData()
              .setGroupId(group)
              .setSessionTimeoutMs(10_000)
              .setRebalanceTimeoutMs(10_000)
              .setMemberId("")
              .setProtocolType("consumer");
      join.protocols()
          .add(
              new JoinGroupRequestData.JoinGroupRequestProtocol()
                  .setName("range")
                  .setMetadata(new byte[] {0, 1}));
      JoinGroupResponseData joined = call(ApiKeys.JOIN_GROUP, join, v);
      if (v >= 4) {
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        joined = call(ApiKeys.JOIN_GROUP, join.setMemberId(joined.memberId()), v);
      }
      assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
      assertThat(joined.leader()).isEqualTo(joined.memberId());
      assertThat(joined.members()).hasSize(1);
      assertThat(joined.protocolName()).isEqualTo("range");
      String member = joined.memberId();

      int syncVersion = Math.min(v, ApiKeys.SYNC_GROUP.latestVersion());
      SyncGroupRequestData sync =
          new SyncGroupRequestData()
              .setGroupId(group)
              .setGenerationId(joined.generationId())
              .setMemberId(member);
      if (syncVersion >= 5) {
        sync.setProtocolType("consumer").setProtocolName("range");
      }
      sync.assignments()
          .add(
              new SyncGroupRequestData.SyncGroupRequestAssignment()
                  .setMemberId(member)
                  .setAssignment(new byte[] {9}));
      var synced =
          (org.apache.kafka.common.message.SyncGroupResponseData)
              call(ApiKeys.SYNC_GROUP, sync, syncVersion);
      assertThat(synced.assignment()).containsExactly(9);

      var heartbeat =
          (org.apache.kafka.common.message.HeartbeatResponseData)
              call(
                  ApiKeys.HEARTBEAT,
                  new HeartbeatRequestData()
                      .setGroupId(group)
                      .setGenerationId(joined.generationId())
                      .setMemberId(member),
                  Math.min(v, ApiKeys.HEARTBEAT.latestVersion()));
      assertThat(Errors.forCode(heartbeat.errorCode())).isEqualTo(Errors.NONE);

      for (int d = 0; d <= ApiKeys.DESCRIBE_GROUPS.latestVersion(); d++) {
        DescribeGroupsResponseData described =
            call(
                ApiKeys.DESCRIBE_GROUPS,
                new DescribeGroupsRequestData()
                    .setGroups(List.of(group, "missing"))
                    .setIncludeAuthorizedOperations(d >= 3),
                d);
        assertThat(described.groups().get(0).groupState()).isEqualTo("Stable");
        assertThat(described.groups().get(0).members().get(0).clientHost()).isEqualTo("/127.0.0.1");
        assertThat(described.groups().get(0).members().get(0).memberAssignment())
            .containsExactly(9);
        assertThat(described.groups().get(1).groupState()).isEqualTo("Dead");
        assertThat(Errors.forCode(described.groups().get(1).errorCode()))
            .isEqualTo(d >= 6 ? Errors.GROUP_ID_NOT_FOUND : Errors.NONE);
      }

      int leaveVersion = Math.min(v, ApiKeys.LEAVE_GROUP.latestVersion());
      LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(group);
      if (leaveVersion >= 3) {
        leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(member));
      } else {
        leave.setMemberId(member);
      }
      var left =
          (org.apache.kafka.common.message.LeaveGroupResponseData)
              call(ApiKeys.LEAVE_GROUP, leave, leaveVersion);
      assertThat(Errors.forCode(left.errorCode())).isEqualTo(Errors.NONE);
    }
  }

  @Test
  void shouldCommitFetchAndDeleteOffsetsAtEveryVersion() throws Exception {
    for (int v = ApiKeys.OFFSET_COMMIT.oldestVersion();
        v <= ApiKeys.OFFSET_COMMIT.latestVersion();
        v++) {
      OffsetCommitRequestData.OffsetCommitRequestTopic committed =
          new OffsetCommitRequestData.OffsetCommitRequestTopic();
      if (v >= 10) {
        committed.setTopicId(KafkaNode.toKafka(topic.id()));
      } else {
        committed.setName("t");
      }
      committed
          .partitions()
          .add(
              new OffsetCommitRequestData.OffsetCommitRequestPartition()
                  .setPartitionIndex(1)
                  .setCommittedOffset(100 + v)
                  .setCommittedMetadata("m"));
      var response =
          (org.apache.kafka.common.message.OffsetCommitResponseData)
              call(
                  ApiKeys.OFFSET_COMMIT,
                  new OffsetCommitRequestData()
                      .setGroupId("offsets")
                      .setGenerationIdOrMemberEpoch(-1)
                      .setMemberId("")
                      .setTopics(List.of(committed)),
                  v);
      assertThat(Errors.forCode(response.topics().get(0).partitions().get(0).errorCode()))
          .isEqualTo(Errors.NONE);
    }
    for (int v = ApiKeys.OFFSET_FETCH.oldestVersion();
        v <= ApiKeys.OFFSET_FETCH.latestVersion();
        v++) {
      OffsetFetchRequestData fetch = new OffsetFetchRequestData();
      if (v >= 8) {
        OffsetFetchRequestData.OffsetFetchRequestTopics wanted =
            new OffsetFetchRequestData.OffsetFetchRequestTopics()
                .setPartitionIndexes(List.of(0, 1));
        if (v >= 10) {
          wanted.setTopicId(KafkaNode.toKafka(topic.id()));
        } else {
          wanted.setName("t");
        }
        fetch
            .groups()
            .add(
                new OffsetFetchRequestData.OffsetFetchRequestGroup()
                    .setGroupId("offsets")
                    .setTopics(List.of(wanted)));
        fetch
            .groups()
            .add(
                new OffsetFetchRequestData.OffsetFetchRequestGroup()
                    .setGroupId("offsets")
                    .setTopics(null));
      } else {
        fetch
            .setGroupId("offsets")
            .setTopics(
                List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("t")
                        .setPartitionIndexes(List.of(0, 1))));
      }
      var response =
          (org.apache.kafka.common.message.OffsetFetchResponseData)
              call(ApiKeys.OFFSET_FETCH, fetch, v);
      if (v >= 8) {
        var partitions = response.groups().get(0).topics().get(0).partitions();
        assertThat(partitions.get(0).committedOffset()).isEqualTo(-1);
        assertThat(partitions.get(1).committedOffset()).isEqualTo(110);
        assertThat(partitions.get(1).metadata()).isEqualTo("m");
        assertThat(response.groups().get(1).topics()).hasSize(1);
      } else {
        assertThat(response.topics().get(0).partitions().get(1).committedOffset()).isEqualTo(110);
      }
    }
    OffsetDeleteRequestData delete = new OffsetDeleteRequestData().setGroupId("offsets");
    OffsetDeleteRequestData.OffsetDeleteRequestTopic deleted =
        new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t");
    deleted
        .partitions()
        .add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1));
    delete.topics().add(deleted);
    var response =
        (org.apache.kafka.common.message.OffsetDeleteResponseData)
            call(ApiKeys.OFFSET_DELETE, delete, 0);
    assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
  }

  @Test
  void shouldListAndDeleteGroupsAtEveryVersion() throws Exception {
    call(
        ApiKeys.OFFSET_COMMIT,
        new OffsetCommitRequestData()
            .setGroupId("listed")
            .setGenerationIdOrMemberEpoch(-1)
            .setTopics(
                List.of(
                    new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("t")
                        .setPartitions(
                            List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                    .setCommittedOffset(1))))),
        9);
    for (int v = 0; v <= ApiKeys.LIST_GROUPS.latestVersion(); v++) {
      ListGroupsRequestData list = new ListGroupsRequestData();
      if (v >= 4) {
        list.setStatesFilter(List.of("empty"));
      }
      if (v >= 5) {
        list.setTypesFilter(List.of("classic"));
      }
      var response =
          (org.apache.kafka.common.message.ListGroupsResponseData)
              call(ApiKeys.LIST_GROUPS, list, v);
      assertThat(response.groups()).extracting(g -> g.groupId()).containsExactly("listed");
      if (v >= 4) {
        assertThat(response.groups().get(0).groupState()).isEqualTo("Empty");
      }
    }
    for (int v = 0; v <= ApiKeys.DELETE_GROUPS.latestVersion(); v++) {
      var response =
          (org.apache.kafka.common.message.DeleteGroupsResponseData)
              call(
                  ApiKeys.DELETE_GROUPS,
                  new DeleteGroupsRequestData().setGroupsNames(List.of("listed")),
                  v);
      assertThat(Errors.forCode(response.results().iterator().next().errorCode()))
          .isEqualTo(v == 0 ? Errors.NONE : Errors.GROUP_ID_NOT_FOUND);
    }
  }
}
