package dev.tandem.core.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the classic group protocol, as Kafka's group coordinator applies them: JoinGroup,
 * SyncGroup, Heartbeat and LeaveGroup move a {@link Group} through its {@link GroupState}s, and
 * timers end rebalances, syncs and sessions that take too long.
 *
 * <ul>
 *   <li>A rebalance ends when every known member has rejoined, or at the rebalance timeout (the
 *       longest of the members'), when dynamic members that did not rejoin are removed. The first
 *       member to join leads; if it does not rejoin, the first that did takes over.
 *   <li>A new or empty group waits {@code group.initial.rebalance.delay.ms} first, and again each
 *       time a new member arrives, up to the rebalance timeout.
 *   <li>KIP-394: a new dynamic member at JoinGroup v4+ is handed an id and must rejoin with it.
 *   <li>KIP-345: a static member (group instance id) that rejoins with no member id replaces its
 *       old id; in a stable group whose selected protocol does not change, without a rebalance.
 *   <li>After a rebalance every member must send SyncGroup within the rebalance timeout, and keep
 *       heartbeating within its session timeout; otherwise it is removed and the group rebalances.
 * </ul>
 *
 * <p>Every method runs under the group's lock and collects the futures it completes in a {@link
 * Deferred}, which the caller runs after releasing the lock. Timer tasks take the lock themselves.
 */
final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final GroupTimer timer;
  private final GroupConfig config;
  private final GroupRecords records;

  Membership(GroupTimer timer, GroupConfig config, GroupRecords records) {
    this.timer = timer;
    this.config = config;
    this.records = records;
  }

  // ---- JoinGroup

  void join(Group group, JoinRequest request, CompletableFuture<JoinResult> result, Deferred out) {
    if (!acceptsJoiningMember(group, request.memberId())) {
      group.remove(request.memberId(), out);
      out.complete(result, JoinResult.failure(GroupError.GROUP_MAX_SIZE_REACHED, ""));
      maybeCompleteJoinPhase(group, out);
    } else if (request.memberId().isEmpty()) {
      joinNewMember(group, request, result, out);
    } else {
      joinKnownMember(group, request, result, out);
    }
  }

  private boolean acceptsJoiningMember(Group group, String memberId) {
    return switch (group.state()) {
      case EMPTY, DEAD -> true;
      case PREPARING_REBALANCE ->
          (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
              || group.awaitingJoinCount() < config.maxSize();
      case COMPLETING_REBALANCE, STABLE ->
          group.hasMember(memberId) || group.size() < config.maxSize();
    };
  }

  private void joinNewMember(
      Group group, JoinRequest request, CompletableFuture<JoinResult> result, Deferred out) {
    if (!group.supportsProtocols(request.protocolType(), request.protocols())) {
      out.complete(result, JoinResult.failure(GroupError.INCONSISTENT_GROUP_PROTOCOL, ""));
      return;
    }
    String instanceId = request.groupInstanceId();
    String newMemberId =
        (instanceId != null ? instanceId : request.clientId()) + "-" + UUID.randomUUID();
    if (instanceId != null) {
      String existing = group.staticMemberId(instanceId);
      if (existing != null) {
        replaceStaticMember(group, request, existing, newMemberId, result, out);
      } else {
        addMember(group, request, newMemberId, result, out);
      }
    } else if (request.requireKnownMemberId()) {
      group.addPendingMember(newMemberId);
      schedule(
          group,
          request.sessionTimeoutMs(),
          later -> {
            if (group.removePendingMember(newMemberId)
                && group.is(GroupState.PREPARING_REBALANCE)
                && group.hasAllMembersJoined()) {
              completeJoin(group, later);
            }
          });
      out.complete(result, JoinResult.failure(GroupError.MEMBER_ID_REQUIRED, newMemberId));
    } else {
      addMember(group, request, newMemberId, result, out);
    }
  }

  private void joinKnownMember(
      Group group, JoinRequest request, CompletableFuture<JoinResult> result, Deferred out) {
    String memberId = request.memberId();
    if (!group.supportsProtocols(request.protocolType(), request.protocols())) {
      out.complete(result, JoinResult.failure(GroupError.INCONSISTENT_GROUP_PROTOCOL, memberId));
      return;
    }
    if (group.isPendingMember(memberId)) {
      if (request.groupInstanceId() != null) {
        out.complete(result, JoinResult.failure(GroupError.UNKNOWN_MEMBER_ID, memberId));
      } else {
        addMember(group, request, memberId, result, out);
      }
      return;
    }
    GroupError invalid = group.validateMember(memberId, request.groupInstanceId());
    if (invalid != GroupError.NONE) {
      out.complete(result, JoinResult.failure(invalid, memberId));
      return;
    }
    GroupMember member = group.member(memberId);
    switch (group.state()) {
      case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, request, result, out);
      case COMPLETING_REBALANCE -> {
        if (member.matches(request.protocols())) {
          // It missed the join response: repeat it.
          out.complete(result, currentGeneration(group, memberId, group.isLeader(memberId)));
        } else {
          updateMemberAndRebalance(group, member, request, result, out);
        }
      }
      case STABLE -> {
        if (group.isLeader(memberId) || !member.matches(request.protocols())) {
          // The leader rejoins to make the group reassign (e.g. new partitions).
          updateMemberAndRebalance(group, member, request, result, out);
        } else {
          out.complete(result, currentGeneration(group, memberId, false));
        }
      }
      default -> out.complete(result, JoinResult.failure(GroupError.UNKNOWN_MEMBER_ID, memberId));
    }
  }

  private JoinResult currentGeneration(Group group, String memberId, boolean withMembers) {
    return new JoinResult(
        GroupError.NONE,
        group.generationId(),
        group.protocolType(),
        group.protocolName(),
        group.leaderId(),
        memberId,
        false,
        withMembers ? group.joinedMembers() : List.of());
  }

  private void addMember(
      Group group,
      JoinRequest request,
      String memberId,
      CompletableFuture<JoinResult> result,
      Deferred out) {
    GroupMember member =
        new GroupMember(
            memberId,
            request.groupInstanceId(),
            request.clientId(),
            request.clientHost(),
            request.rebalanceTimeoutMs(),
            request.sessionTimeoutMs(),
            request.protocolType(),
            request.protocols());
    member.isNew(true);
    if (group.is(GroupState.PREPARING_REBALANCE) && group.previousState() == GroupState.EMPTY) {
      group.newMemberAdded(true);
    }
    group.add(member, result);
    // A new member cannot heartbeat before it has an id; it may wait this long in JoinGroup.
    rescheduleSession(group, member, config.newMemberJoinTimeoutMs());
    maybePrepareRebalanceOrCompleteJoin(group, out);
  }

  private void updateMemberAndRebalance(
      Group group,
      GroupMember member,
      JoinRequest request,
      CompletableFuture<JoinResult> result,
      Deferred out) {
    group.updateMember(
        member,
        request.protocols(),
        request.rebalanceTimeoutMs(),
        request.sessionTimeoutMs(),
        result,
        out);
    maybePrepareRebalanceOrCompleteJoin(group, out);
  }

  private void replaceStaticMember(
      Group group,
      JoinRequest request,
      String oldMemberId,
      String newMemberId,
      CompletableFuture<JoinResult> result,
      Deferred out) {
    String oldLeader = group.leaderId();
    GroupMember member = group.replaceStaticMember(oldMemberId, newMemberId, out);
    rescheduleSession(group, member, member.sessionTimeoutMs());
    group.updateMember(
        member,
        request.protocols(),
        request.rebalanceTimeoutMs(),
        request.sessionTimeoutMs(),
        result,
        out);
    switch (group.state()) {
      case STABLE -> {
        if (Objects.equals(group.protocolName(), group.selectProtocol())) {
          group.completeJoin(member, rejoinedStaticMember(group, request, oldLeader, member), out);
        } else {
          maybePrepareRebalanceOrCompleteJoin(group, out);
        }
      }
      case COMPLETING_REBALANCE -> prepareRebalance(group, out);
      default -> maybeCompleteJoinPhase(group, out);
    }
  }

  /**
   * The join response of a static member that replaced its old id in a stable group. A leader is
   * told to skip the assignment where the client supports it (KIP-814); older clients are named a
   * follower (the leader field keeps the old id) so that they just sync.
   */
  private static JoinResult rejoinedStaticMember(
      Group group, JoinRequest request, String oldLeader, GroupMember member) {
    String memberId = member.memberId();
    if (request.canSkipAssignment()) {
      boolean leader = group.isLeader(memberId);
      return new JoinResult(
          GroupError.NONE,
          group.generationId(),
          group.protocolType(),
          group.protocolName(),
          group.leaderId(),
          memberId,
          leader,
          leader ? group.joinedMembers() : List.of());
    }
    return new JoinResult(
        GroupError.NONE,
        group.generationId(),
        group.protocolType(),
        group.protocolName(),
        oldLeader,
        memberId,
        false,
        List.of());
  }

  // ---- rebalance

  void maybePrepareRebalanceOrCompleteJoin(Group group, Deferred out) {
    if (group.canRebalance()) {
      prepareRebalance(group, out);
    } else {
      maybeCompleteJoinPhase(group, out);
    }
  }

  private void prepareRebalance(Group group, Deferred out) {
    if (group.is(GroupState.COMPLETING_REBALANCE)) {
      resetAndPropagateAssignmentError(group, GroupError.REBALANCE_IN_PROGRESS, out);
    }
    cancelSyncTimer(group);
    group.clearPendingSync();
    boolean initial = group.is(GroupState.EMPTY);
    group.transitionTo(GroupState.PREPARING_REBALANCE, timer.now());
    LOG.info(
        "group {} rebalancing from generation {} with {} members",
        group.groupId(),
        group.generationId(),
        group.size());
    if (initial) {
      int delayMs = config.initialRebalanceDelayMs();
      int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
      scheduleJoin(
          group, delayMs, later -> completeInitialRebalance(group, delayMs, remainingMs, later));
    } else if (group.hasAllMembersJoined()) {
      completeJoin(group, out);
    } else {
      scheduleJoin(group, group.rebalanceTimeoutMs(), later -> completeJoin(group, later));
    }
  }

  private void completeInitialRebalance(Group group, int delayMs, int remainingMs, Deferred out) {
    if (group.newMemberAdded() && remainingMs != 0) {
      group.newMemberAdded(false);
      int nextDelayMs = Math.min(config.initialRebalanceDelayMs(), remainingMs);
      int nextRemainingMs = Math.max(remainingMs - delayMs, 0);
      scheduleJoin(
          group,
          nextDelayMs,
          later -> completeInitialRebalance(group, nextDelayMs, nextRemainingMs, later));
    } else {
      completeJoin(group, out);
    }
  }

  /** Completes the join phase once everyone is in; an initial rebalance waits for its timer. */
  void maybeCompleteJoinPhase(Group group, Deferred out) {
    if (group.is(GroupState.PREPARING_REBALANCE)
        && group.previousState() != GroupState.EMPTY
        && group.hasAllMembersJoined()) {
      completeJoin(group, out);
    }
  }

  private void completeJoin(Group group, Deferred out) {
    if (!group.is(GroupState.PREPARING_REBALANCE)) {
      return;
    }
    cancelJoinTimer(group);
    for (GroupMember member : group.notYetRejoined()) {
      if (!member.isStatic()) {
        group.remove(member.memberId(), out);
      }
    }
    if (!group.maybeElectNewJoinedLeader() && group.size() > 0) {
      // Only static members remain and none rejoined: wait until they do or their sessions end.
      scheduleJoin(group, group.rebalanceTimeoutMs(), later -> completeJoin(group, later));
      return;
    }
    group.initNextGeneration(timer.now());
    records.saveGroup(group);
    if (group.is(GroupState.EMPTY)) {
      LOG.info("group {} is empty at generation {}", group.groupId(), group.generationId());
      return;
    }
    LOG.info(
        "group {} formed generation {} with {} members, protocol {}",
        group.groupId(),
        group.generationId(),
        group.size(),
        group.protocolName());
    List<JoinResult.Member> everyone = group.joinedMembers();
    for (GroupMember member : group.members()) {
      boolean leader = group.isLeader(member.memberId());
      group.completeJoin(
          member,
          new JoinResult(
              GroupError.NONE,
              group.generationId(),
              group.protocolType(),
              group.protocolName(),
              group.leaderId(),
              member.memberId(),
              false,
              leader ? everyone : List.of()),
          out);
      rescheduleSession(group, member, member.sessionTimeoutMs());
      member.isNew(false);
      group.addPendingSync(member.memberId());
    }
    scheduleSyncTimer(group);
  }

  private void resetAndPropagateAssignmentError(Group group, GroupError error, Deferred out) {
    for (GroupMember member : group.members()) {
      member.assignment(GroupMember.EMPTY_ASSIGNMENT);
    }
    propagateAssignment(group, error, out);
  }

  private void propagateAssignment(Group group, GroupError error, Deferred out) {
    boolean ok = error == GroupError.NONE;
    for (GroupMember member : group.members()) {
      SyncResult result =
          new SyncResult(
              error,
              ok ? group.protocolType() : null,
              ok ? group.protocolName() : null,
              member.assignment());
      if (group.completeSync(member, result, out)) {
        rescheduleSession(group, member, member.sessionTimeoutMs());
      }
    }
  }

  // ---- SyncGroup

  void sync(Group group, SyncRequest request, CompletableFuture<SyncResult> result, Deferred out) {
    if (group.is(GroupState.EMPTY)) {
      out.complete(result, SyncResult.failure(GroupError.UNKNOWN_MEMBER_ID));
      return;
    }
    GroupError invalid = validateSync(group, request);
    if (invalid != GroupError.NONE) {
      out.complete(result, SyncResult.failure(invalid));
      return;
    }
    String memberId = request.memberId();
    GroupMember member = group.member(memberId);
    switch (group.state()) {
      case COMPLETING_REBALANCE -> {
        out.complete(member.awaitingSync(), SyncResult.failure(GroupError.REBALANCE_IN_PROGRESS));
        member.awaitingSync(result);
        removePendingSync(group, memberId);
        if (group.isLeader(memberId)) {
          for (GroupMember each : group.members()) {
            each.assignment(request.assignments().get(each.memberId()));
          }
          propagateAssignment(group, GroupError.NONE, out);
          group.transitionTo(GroupState.STABLE, timer.now());
          LOG.info("group {} is stable at generation {}", group.groupId(), group.generationId());
        }
      }
      case STABLE -> {
        removePendingSync(group, memberId);
        out.complete(
            result,
            new SyncResult(
                GroupError.NONE, group.protocolType(), group.protocolName(), member.assignment()));
      }
      default -> out.complete(result, SyncResult.failure(GroupError.REBALANCE_IN_PROGRESS));
    }
  }

  private static GroupError validateSync(Group group, SyncRequest request) {
    GroupError member = group.validateMember(request.memberId(), request.groupInstanceId());
    if (member != GroupError.NONE) {
      return member;
    }
    if (request.generationId() != group.generationId()) {
      return GroupError.ILLEGAL_GENERATION;
    }
    if (inconsistent(request.protocolType(), group.protocolType())
        || inconsistent(request.protocolName(), group.protocolName())) {
      return GroupError.INCONSISTENT_GROUP_PROTOCOL;
    }
    return GroupError.NONE;
  }

  private static boolean inconsistent(String requested, String actual) {
    return requested != null && actual != null && !requested.equals(actual);
  }

  private void removePendingSync(Group group, String memberId) {
    group.removePendingSync(memberId);
    if (group.pendingSyncMembers().isEmpty()) {
      cancelSyncTimer(group);
    }
  }

  private void scheduleSyncTimer(Group group) {
    cancelSyncTimer(group);
    long token = ++group.syncTimerToken;
    int generation = group.generationId();
    group.syncTimer =
        schedule(
            group,
            group.rebalanceTimeoutMs(),
            later -> {
              if (group.syncTimerToken == token) {
                group.syncTimer = null;
                expirePendingSync(group, generation, later);
              }
            });
  }

  private void cancelSyncTimer(Group group) {
    group.syncTimerToken++;
    if (group.syncTimer != null) {
      group.syncTimer.cancel();
      group.syncTimer = null;
    }
  }

  private void expirePendingSync(Group group, int generation, Deferred out) {
    if (generation != group.generationId()
        || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))
        || group.pendingSyncMembers().isEmpty()) {
      return;
    }
    List<String> late = new ArrayList<>(group.pendingSyncMembers());
    LOG.info("group {} removes members that did not sync in time: {}", group.groupId(), late);
    for (String memberId : late) {
      group.remove(memberId, out);
    }
    prepareRebalance(group, out);
  }

  // ---- Heartbeat

  GroupError heartbeat(Group group, String memberId, String groupInstanceId, int generationId) {
    GroupError invalid = group.validateMember(memberId, groupInstanceId);
    if (invalid != GroupError.NONE) {
      return invalid;
    }
    if (generationId != group.generationId()) {
      return GroupError.ILLEGAL_GENERATION;
    }
    GroupMember member = group.member(memberId);
    return switch (group.state()) {
      case PREPARING_REBALANCE -> {
        rescheduleSession(group, member, member.sessionTimeoutMs());
        yield GroupError.REBALANCE_IN_PROGRESS;
      }
      case COMPLETING_REBALANCE, STABLE -> {
        rescheduleSession(group, member, member.sessionTimeoutMs());
        yield GroupError.NONE;
      }
      default -> GroupError.UNKNOWN_MEMBER_ID;
    };
  }

  // ---- LeaveGroup

  List<LeaveResult.Member> leave(Group group, List<LeaveResult.Member> leaving, Deferred out) {
    List<LeaveResult.Member> results = new ArrayList<>();
    boolean anyLeft = false;
    for (LeaveResult.Member request : leaving) {
      String memberId = request.memberId();
      String instanceId = request.groupInstanceId();
      GroupError error;
      if (memberId.isEmpty()) {
        // An administrator removing a static member by its instance id alone.
        String current = instanceId == null ? null : group.staticMemberId(instanceId);
        error = current == null ? GroupError.UNKNOWN_MEMBER_ID : GroupError.NONE;
        if (current != null) {
          group.remove(current, out);
        }
      } else if (group.removePendingMember(memberId)) {
        error = GroupError.NONE;
      } else {
        error = group.validateMember(memberId, instanceId);
        if (error == GroupError.NONE) {
          group.remove(memberId, out);
        }
      }
      anyLeft |= error == GroupError.NONE;
      results.add(new LeaveResult.Member(memberId, instanceId, error));
    }
    if (anyLeft) {
      LOG.info("members left group {}: {}", group.groupId(), results);
      if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
        maybePrepareRebalanceOrCompleteJoin(group, out);
      } else if (group.is(GroupState.PREPARING_REBALANCE)) {
        maybeCompleteJoinPhase(group, out);
      }
    }
    return results;
  }

  // ---- sessions

  /** Pushes the member's session deadline out by {@code timeoutMs} from now. */
  private void rescheduleSession(Group group, GroupMember member, long timeoutMs) {
    member.sessionDeadline = timer.now() + timeoutMs;
    if (member.expiryCheck == null || member.expiryCheckAt > member.sessionDeadline) {
      scheduleExpiryCheck(group, member, timeoutMs);
    }
  }

  /**
   * One check per member is outstanding at a time: a heartbeat only moves the deadline, and the
   * check, when it fires early, reschedules itself for the deadline.
   */
  private void scheduleExpiryCheck(Group group, GroupMember member, long delayMs) {
    if (member.expiryCheck != null) {
      member.expiryCheck.cancel();
    }
    long token = ++member.expiryToken;
    member.expiryCheckAt = timer.now() + delayMs;
    member.expiryCheck =
        schedule(group, delayMs, later -> onExpiryCheck(group, member, token, later));
  }

  private void onExpiryCheck(Group group, GroupMember member, long token, Deferred out) {
    if (member.expiryToken != token || group.member(member.memberId()) != member) {
      return;
    }
    member.expiryCheck = null;
    member.expiryCheckAt = Long.MAX_VALUE;
    long now = timer.now();
    if (now < member.sessionDeadline) {
      scheduleExpiryCheck(group, member, member.sessionDeadline - now);
      return;
    }
    if (member.hasSatisfiedHeartbeat()) {
      return;
    }
    LOG.info("group {}: session of member {} expired", group.groupId(), member.memberId());
    group.remove(member.memberId(), out);
    if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
      maybePrepareRebalanceOrCompleteJoin(group, out);
    } else if (group.is(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()) {
      completeJoin(group, out);
    }
  }

  // ---- timers

  private void scheduleJoin(Group group, long delayMs, Consumer<Deferred> task) {
    cancelJoinTimer(group);
    long token = ++group.joinTimerToken;
    group.joinTimer =
        schedule(
            group,
            delayMs,
            later -> {
              if (group.joinTimerToken == token) {
                group.joinTimer = null;
                task.accept(later);
              }
            });
  }

  private void cancelJoinTimer(Group group) {
    group.joinTimerToken++;
    if (group.joinTimer != null) {
      group.joinTimer.cancel();
      group.joinTimer = null;
    }
  }

  /** Runs {@code task} later under the group's lock, completing its futures after the lock. */
  private GroupTimer.Scheduled schedule(Group group, long delayMs, Consumer<Deferred> task) {
    return timer.schedule(
        () -> {
          Deferred out = new Deferred();
          try {
            synchronized (group) {
              if (!group.is(GroupState.DEAD)) {
                task.accept(out);
              }
            }
          } catch (RuntimeException e) {
            LOG.error("group {}: timer task failed", group.groupId(), e);
          } finally {
            out.run();
          }
        },
        delayMs);
  }
}
