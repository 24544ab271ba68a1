package dev.tandem.core.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.log.LogScheduler;
import dev.tandem.storage.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classic group protocol and committed offsets, without a network, on a manual clock. */
class GroupCoordinatorTest {
  private static final int SESSION_MS = 1_000;
  private static final int REBALANCE_MS = 5_000;
  private static final List<Protocol> RANGE = List.of(protocol("range", "subscription"));

  @TempDir Path dir;
  private final ManualTimer timer = new ManualTimer();
  private LogScheduler scheduler;
  private StateStore store;
  private GroupCoordinator groups;

  @BeforeEach
  void open() throws IOException {
    scheduler = new LogScheduler();
    store = StateStore.open(dir.resolve("offsets"), scheduler, true);
    groups = coordinator(0);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
    scheduler.close();
  }

  private GroupCoordinator coordinator(int initialDelayMs) {
    return GroupCoordinator.load(
        store,
        timer,
        GroupConfig.DEFAULTS
            .withInitialRebalanceDelayMs(initialDelayMs)
            .withSessionTimeoutRange(100, 60_000));
  }

  private static Protocol protocol(String name, String metadata) {
    return new Protocol(name, metadata.getBytes(StandardCharsets.UTF_8));
  }

  private static JoinRequest joinRequest(
      String memberId, String instanceId, List<Protocol> protocols) {
    return new JoinRequest(
        "g",
        memberId,
        instanceId,
        "client",
        "/127.0.0.1",
        SESSION_MS,
        REBALANCE_MS,
        "consumer",
        protocols,
        true,
        true);
  }

  private CompletableFuture<JoinResult> join(String memberId) {
    return groups.join(joinRequest(memberId, null, RANGE));
  }

  /** A new dynamic member's id, handed out by the KIP-394 first round trip. */
  private String newMemberId() {
    JoinResult first = join("").join();
    assertThat(first.error()).isEqualTo(GroupError.MEMBER_ID_REQUIRED);
    return first.memberId();
  }

  private CompletableFuture<SyncResult> sync(
      String memberId, int generation, Map<String, byte[]> assignments) {
    return groups.sync(
        new SyncRequest("g", generation, memberId, null, "consumer", "range", assignments));
  }

  private GroupState state() {
    return groups.describe("g").orElseThrow().state();
  }

  /** Forms a stable group of new members; returns their ids, the first being the leader. */
  private List<String> stableGroup(int size) {
    List<String> ids = new java.util.ArrayList<>();
    List<CompletableFuture<JoinResult>> joins = new java.util.ArrayList<>();
    for (int i = 0; i < size; i++) {
      String id = newMemberId();
      ids.add(id);
      joins.add(join(id));
    }
    timer.advance(0);
    int generation = joins.get(0).join().generationId();
    List<CompletableFuture<SyncResult>> syncs = new java.util.ArrayList<>();
    for (int i = 1; i < size; i++) {
      syncs.add(sync(ids.get(i), generation, Map.of()));
    }
    Map<String, byte[]> assignments = new java.util.HashMap<>();
    ids.forEach(id -> assignments.put(id, id.getBytes(StandardCharsets.UTF_8)));
    sync(ids.get(0), generation, assignments).join();
    syncs.forEach(CompletableFuture::join);
    assertThat(state()).isEqualTo(GroupState.STABLE);
    return ids;
  }

  @Test
  void shouldHandOutMemberIdThenMakeFirstJoinerLeaderWithEveryMembersMetadata() {
    String first = newMemberId();
    String second = newMemberId();
    CompletableFuture<JoinResult> leader = join(first);
    CompletableFuture<JoinResult> follower = join(second);
    assertThat(leader).isNotDone();

    timer.advance(0);

    assertThat(leader.join().error()).isEqualTo(GroupError.NONE);
    assertThat(leader.join().leaderId()).isEqualTo(first);
    assertThat(leader.join().generationId()).isEqualTo(1);
    assertThat(leader.join().protocolName()).isEqualTo("range");
    assertThat(leader.join().members())
        .extracting(JoinResult.Member::memberId)
        .containsExactly(first, second);
    assertThat(follower.join().leaderId()).isEqualTo(first);
    assertThat(follower.join().members()).isEmpty();
    assertThat(first).startsWith("client-");
    assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
  }

  @Test
  void shouldDeliverLeadersAssignmentToFollowersWaitingInSync() {
    String first = newMemberId();
    String second = newMemberId();
    join(first);
    join(second);
    timer.advance(0);

    CompletableFuture<SyncResult> follower = sync(second, 1, Map.of());
    assertThat(follower).isNotDone();
    SyncResult leader =
        sync(first, 1, Map.of(first, new byte[] {1}, second, new byte[] {2})).join();

    assertThat(leader.assignment()).containsExactly(1);
    assertThat(follower.join().error()).isEqualTo(GroupError.NONE);
    assertThat(follower.join().assignment()).containsExactly(2);
    assertThat(follower.join().protocolName()).isEqualTo("range");
    assertThat(state()).isEqualTo(GroupState.STABLE);
  }

  @Test
  void shouldRefuseSyncAndHeartbeatOfWrongGenerationOrUnknownMember() {
    List<String> ids = stableGroup(2);
    assertThat(sync(ids.get(1), 7, Map.of()).join().error())
        .isEqualTo(GroupError.ILLEGAL_GENERATION);
    assertThat(sync("stranger", 1, Map.of()).join().error())
        .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    assertThat(groups.heartbeat("g", ids.get(0), null, 0)).isEqualTo(GroupError.ILLEGAL_GENERATION);
    assertThat(groups.heartbeat("g", "stranger", null, 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    assertThat(groups.heartbeat("nope", ids.get(0), null, 1))
        .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    assertThat(groups.heartbeat("g", ids.get(0), null, 1)).isEqualTo(GroupError.NONE);
  }

  @Test
  void shouldAskMembersToRejoinAndCompleteOnceEveryKnownMemberHas() {
    List<String> ids = stableGroup(2);
    String third = newMemberId();
    CompletableFuture<JoinResult> joining = join(third);

    assertThat(state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(groups.heartbeat("g", ids.get(1), null, 1))
        .isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
    assertThat(sync(ids.get(1), 1, Map.of()).join().error())
        .isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
    CompletableFuture<JoinResult> first = join(ids.get(0));
    assertThat(joining).isNotDone();
    CompletableFuture<JoinResult> second = join(ids.get(1));

    assertThat(joining.join().generationId()).isEqualTo(2);
    assertThat(first.join().members()).hasSize(3);
    assertThat(second.join().leaderId()).isEqualTo(ids.get(0));
  }

  @Test
  void shouldRemoveMembersThatDoNotRejoinBeforeTheRebalanceTimeout() {
    List<String> ids = stableGroup(2);
    CompletableFuture<JoinResult> leader = join(ids.get(0));
    // keep the silent member's session alive: only the rebalance timeout may remove it
    for (int i = 0; i < 10; i++) {
      timer.advance(REBALANCE_MS / 10 - 1);
      groups.heartbeat("g", ids.get(1), null, 1);
    }
    assertThat(leader).isNotDone();

    timer.advance(10);

    assertThat(leader.join().generationId()).isEqualTo(2);
    assertThat(leader.join().members())
        .extracting(JoinResult.Member::memberId)
        .containsExactly(ids.get(0));
    assertThat(groups.heartbeat("g", ids.get(1), null, 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
  }

  @Test
  void shouldExpireMemberWhoseSessionEndsAndRebalanceTheOthers() {
    List<String> ids = stableGroup(2);
    timer.advance(SESSION_MS / 2);
    assertThat(groups.heartbeat("g", ids.get(0), null, 1)).isEqualTo(GroupError.NONE);
    timer.advance(SESSION_MS / 2 + 1);

    assertThat(state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(groups.heartbeat("g", ids.get(1), null, 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    assertThat(groups.heartbeat("g", ids.get(0), null, 1))
        .isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
    JoinResult rejoined = join(ids.get(0)).join();
    assertThat(rejoined.generationId()).isEqualTo(2);
    assertThat(rejoined.members()).hasSize(1);
  }

  @Test
  void shouldRemoveMembersThatDoNotSyncBeforeTheRebalanceTimeout() {
    String first = newMemberId();
    String second = newMemberId();
    join(first);
    join(second);
    timer.advance(0);
    for (int i = 0; i < 10; i++) {
      timer.advance(REBALANCE_MS / 10);
      groups.heartbeat("g", first, null, 1);
      groups.heartbeat("g", second, null, 1);
    }
    timer.advance(1);

    assertThat(groups.describe("g").orElseThrow().members()).isEmpty();
    assertThat(state()).isEqualTo(GroupState.EMPTY);
  }

  @Test
  void shouldRemoveLeavingMembersInOneBatchAndRebalance() {
    List<String> ids = stableGroup(3);
    LeaveResult left =
        groups.leave(
            "g",
            List.of(
                new LeaveResult.Member(ids.get(1), null, GroupError.NONE),
                new LeaveResult.Member(ids.get(2), null, GroupError.NONE),
                new LeaveResult.Member("stranger", null, GroupError.NONE)));

    assertThat(left.members())
        .extracting(LeaveResult.Member::error)
        .containsExactly(GroupError.NONE, GroupError.NONE, GroupError.UNKNOWN_MEMBER_ID);
    assertThat(state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    assertThat(join(ids.get(0)).join().members()).hasSize(1);

    groups.leave("g", List.of(new LeaveResult.Member(ids.get(0), null, GroupError.NONE)));
    assertThat(state()).isEqualTo(GroupState.EMPTY);
    assertThat(groups.leave("unknown", List.of()).error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
  }

  @Test
  void shouldReplaceRestartedStaticMemberWithoutRebalanceAndFenceItsOldId() {
    String dynamic = newMemberId();
    CompletableFuture<JoinResult> staticJoin = groups.join(joinRequest("", "instance-1", RANGE));
    CompletableFuture<JoinResult> dynamicJoin = join(dynamic);
    timer.advance(0);
    String oldStatic = staticJoin.join().memberId();
    assertThat(oldStatic).startsWith("instance-1-");
    CompletableFuture<SyncResult> follower = sync(dynamic, 1, Map.of());
    groups
        .sync(
            new SyncRequest(
                "g",
                1,
                oldStatic,
                "instance-1",
                null,
                null,
                Map.of(oldStatic, new byte[] {7}, dynamic, new byte[] {8})))
        .join();
    follower.join();

    JoinResult restarted = groups.join(joinRequest("", "instance-1", RANGE)).join();

    assertThat(restarted.error()).isEqualTo(GroupError.NONE);
    assertThat(restarted.generationId()).isEqualTo(1);
    assertThat(restarted.memberId()).isNotEqualTo(oldStatic);
    assertThat(restarted.skipAssignment()).isTrue();
    assertThat(state()).isEqualTo(GroupState.STABLE);
    assertThat(groups.heartbeat("g", oldStatic, "instance-1", 1))
        .isEqualTo(GroupError.FENCED_INSTANCE_ID);
    SyncResult assignment =
        groups
            .sync(new SyncRequest("g", 1, restarted.memberId(), "instance-1", null, null, Map.of()))
            .join();
    assertThat(assignment.assignment()).containsExactly(7);
    assertThat(groups.heartbeat("g", dynamic, null, 1)).isEqualTo(GroupError.NONE);
  }

  @Test
  void shouldSelectTheProtocolEveryMemberSupportsByVoteAndRefuseOthers() {
    Protocol range = protocol("range", "r");
    Protocol roundRobin = protocol("roundrobin", "rr");
    String a = newMemberId();
    String b = newMemberId();
    String c = newMemberId();
    CompletableFuture<JoinResult> first =
        groups.join(joinRequest(a, null, List.of(range, roundRobin)));
    groups.join(joinRequest(b, null, List.of(roundRobin, range)));
    groups.join(joinRequest(c, null, List.of(roundRobin, range)));
    JoinResult refused =
        groups.join(joinRequest("", null, List.of(protocol("sticky", "s")))).join();
    timer.advance(0);

    assertThat(first.join().protocolName()).isEqualTo("roundrobin");
    assertThat(first.join().members().get(0).metadata()).isEqualTo(roundRobin.metadata());
    assertThat(refused.error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
  }

  @Test
  void shouldDelayTheInitialRebalanceWhileNewMembersKeepArriving() {
    groups = coordinator(3_000);
    CompletableFuture<JoinResult> first = join(newMemberId());
    timer.advance(2_000);
    CompletableFuture<JoinResult> second = join(newMemberId());
    timer.advance(1_000);
    assertThat(first).isNotDone();

    timer.advance(3_000);

    assertThat(first.join().members()).hasSize(2);
    assertThat(second.join().generationId()).isEqualTo(1);
  }

  @Test
  void shouldRefuseSessionTimeoutsOutsideTheConfiguredRange() {
    JoinRequest tooShort =
        new JoinRequest(
            "g", "", null, "client", "h", 10, REBALANCE_MS, "consumer", RANGE, true, true);
    assertThat(groups.join(tooShort).join().error()).isEqualTo(GroupError.INVALID_SESSION_TIMEOUT);
  }

  // ---- offsets

  private static OffsetCommitRequest commit(
      String memberId, int generation, String topic, int partition, long offset) {
    return new OffsetCommitRequest(
        "g",
        generation,
        memberId,
        null,
        Map.of(new TopicPartition(topic, partition), new CommittedOffset(offset, 3, "meta", -1)));
  }

  @Test
  void shouldAcceptSimpleCommitsOnlyWhileTheGroupHasNoMembers() {
    assertThat(groups.commitOffsets(commit("", -1, "t", 0, 5)).join().values())
        .containsOnly(GroupError.NONE);
    assertThat(groups.list(Set.of())).containsExactly(new GroupListing("g", "", GroupState.EMPTY));

    List<String> ids = stableGroup(1);

    assertThat(groups.commitOffsets(commit("", -1, "t", 0, 6)).join().values())
        .containsOnly(GroupError.UNKNOWN_MEMBER_ID);
    assertThat(groups.commitOffsets(commit(ids.get(0), 0, "t", 0, 6)).join().values())
        .containsOnly(GroupError.ILLEGAL_GENERATION);
    assertThat(groups.commitOffsets(commit(ids.get(0), 1, "t", 0, 7)).join().values())
        .containsOnly(GroupError.NONE);
    assertThat(
            groups.fetchOffsets(
                "g", List.of(new TopicPartition("t", 0), new TopicPartition("t", 1))))
        .containsExactly(
            Map.entry(new TopicPartition("t", 0), new CommittedOffset(7, 3, "meta", timer.now())),
            Map.entry(new TopicPartition("t", 1), CommittedOffset.NONE));
    OffsetCommitRequest unknownGroup =
        new OffsetCommitRequest("missing", 1, "x", null, commit("x", 1, "t", 0, 7).offsets());
    assertThat(groups.commitOffsets(unknownGroup).join().values())
        .containsOnly(GroupError.GROUP_ID_NOT_FOUND);
  }

  @Test
  void shouldKeepOffsetsAndEmptyGroupsAcrossARestartButNotMembers() throws IOException {
    List<String> ids = stableGroup(1);
    groups.commitOffsets(commit(ids.get(0), 1, "t", 2, 42)).join();

    store.close();
    store = StateStore.open(dir.resolve("offsets"), scheduler, true);
    groups = coordinator(0);

    assertThat(groups.list(Set.of(GroupState.EMPTY)))
        .containsExactly(new GroupListing("g", "consumer", GroupState.EMPTY));
    assertThat(groups.fetchOffsets("g", null))
        .containsExactly(
            Map.entry(new TopicPartition("t", 2), new CommittedOffset(42, 3, "meta", timer.now())));
    assertThat(groups.heartbeat("g", ids.get(0), null, 1)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    JoinResult rejoined = join(ids.get(0)).join();
    assertThat(rejoined.error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    CompletableFuture<JoinResult> fresh = join(newMemberId());
    timer.advance(0);
    assertThat(fresh.join().generationId()).isEqualTo(2);
  }

  @Test
  void shouldDeleteOnlyEmptyGroupsWithTheirOffsets() {
    List<String> ids = stableGroup(1);
    groups.commitOffsets(commit(ids.get(0), 1, "t", 0, 1)).join();

    assertThat(groups.delete(List.of("g", "missing")).join())
        .containsExactly(
            Map.entry("g", GroupError.NON_EMPTY_GROUP),
            Map.entry("missing", GroupError.GROUP_ID_NOT_FOUND));

    groups.leave("g", List.of(new LeaveResult.Member(ids.get(0), null, GroupError.NONE)));
    assertThat(groups.delete(List.of("g")).join()).containsEntry("g", GroupError.NONE);
    assertThat(groups.describe("g")).isEmpty();
    assertThat(groups.fetchOffsets("g", null)).isEmpty();
    assertThat(store.scan("offset/")).isEmpty();
  }

  @Test
  void shouldKeepOffsetsOfTopicsALiveGroupSubscribesTo() {
    List<String> ids = stableGroup(1);
    groups.commitOffsets(commit(ids.get(0), 1, "mine", 0, 1)).join();
    groups.commitOffsets(commit(ids.get(0), 1, "other", 0, 1)).join();
    List<TopicPartition> both =
        List.of(new TopicPartition("mine", 0), new TopicPartition("other", 0));

    OffsetDeleteResult unknownProtocol =
        groups.deleteOffsets("g", both, (type, metadata) -> Optional.empty()).join();
    OffsetDeleteResult deleted =
        groups.deleteOffsets("g", both, (type, metadata) -> Optional.of(Set.of("mine"))).join();

    assertThat(unknownProtocol.error()).isEqualTo(GroupError.NON_EMPTY_GROUP);
    assertThat(deleted.partitions())
        .containsExactly(
            Map.entry(new TopicPartition("mine", 0), GroupError.GROUP_SUBSCRIBED_TO_TOPIC),
            Map.entry(new TopicPartition("other", 0), GroupError.NONE));
    assertThat(groups.fetchOffsets("g", null)).containsOnlyKeys(new TopicPartition("mine", 0));
  }

  @Test
  void shouldExpireOffsetsOfAGroupEmptyForTheRetentionPeriodAndThenTheGroup() {
    groups =
        GroupCoordinator.load(
            store,
            timer,
            GroupConfig.DEFAULTS
                .withInitialRebalanceDelayMs(0)
                .withSessionTimeoutRange(100, 60_000)
                .withOffsetsRetention(10_000, 1_000));
    List<String> ids = stableGroup(1);
    groups.commitOffsets(commit(ids.get(0), 1, "t", 0, 1)).join();
    for (int i = 0; i < 25; i++) {
      timer.advance(SESSION_MS - 100);
      assertThat(groups.heartbeat("g", ids.get(0), null, 1)).isEqualTo(GroupError.NONE);
    }
    assertThat(groups.fetchOffsets("g", null)).hasSize(1);

    groups.leave("g", List.of(new LeaveResult.Member(ids.get(0), null, GroupError.NONE)));
    timer.advance(9_000);
    assertThat(groups.fetchOffsets("g", null)).hasSize(1);
    timer.advance(2_000);

    assertThat(groups.fetchOffsets("g", null)).isEmpty();
    assertThat(groups.list(Set.of())).isEmpty();
  }
}
