package dev.tandem.core.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One group: its state in the classic rebalance protocol, its members (in join order, so the first
 * to join leads), the votes for its protocol, and its committed offsets. The rules that move it
 * between states live in {@link Membership}; this class keeps the bookkeeping consistent.
 *
 * <p>Not thread-safe: every access is under this object's monitor.
 */
final class Group {
  private static final Comparator<TopicPartition> PARTITION_ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private final String groupId;
  private GroupState state = GroupState.EMPTY;
  private GroupState previousState = GroupState.DEAD;
  private long stateTimestamp;
  private String protocolType;
  private String protocolName;
  private int generationId;
  private String leaderId;
  private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
  private final Map<String, String> staticMembers = new HashMap<>();
  private final Set<String> pendingJoinMembers = new HashSet<>();
  private final Set<String> pendingSyncMembers = new HashSet<>();
  private final Map<String, Integer> protocolVotes = new HashMap<>();
  private final TreeMap<TopicPartition, CommittedOffset> offsets = new TreeMap<>(PARTITION_ORDER);
  private int awaitingJoinCount;
  private boolean newMemberAdded;

  /** Identifies the outstanding join-phase timer (rebalance timeout or initial delay). */
  long joinTimerToken;

  GroupTimer.Scheduled joinTimer;

  /** Identifies the outstanding timer that waits for every member's SyncGroup. */
  long syncTimerToken;

  GroupTimer.Scheduled syncTimer;

  Group(String groupId, long now) {
    this.groupId = groupId;
    this.stateTimestamp = now;
  }

  /** A group as restored from the store: empty, at the generation it had. */
  Group(String groupId, int generationId, String protocolType, long stateTimestamp) {
    this.groupId = groupId;
    this.generationId = generationId;
    this.protocolType = protocolType;
    this.stateTimestamp = stateTimestamp;
  }

  String groupId() {
    return groupId;
  }

  GroupState state() {
    return state;
  }

  GroupState previousState() {
    return previousState;
  }

  boolean is(GroupState candidate) {
    return state == candidate;
  }

  long stateTimestamp() {
    return stateTimestamp;
  }

  String protocolType() {
    return protocolType;
  }

  String protocolName() {
    return protocolName;
  }

  int generationId() {
    return generationId;
  }

  String leaderId() {
    return leaderId;
  }

  boolean isLeader(String memberId) {
    return memberId.equals(leaderId);
  }

  boolean newMemberAdded() {
    return newMemberAdded;
  }

  void newMemberAdded(boolean value) {
    newMemberAdded = value;
  }

  void transitionTo(GroupState target, long now) {
    if (!target.validPrevious().contains(state)) {
      throw new IllegalStateException(
          "group " + groupId + " cannot go from " + state + " to " + target);
    }
    previousState = state;
    state = target;
    stateTimestamp = now;
  }

  /** Whether a rebalance may start from the current state. */
  boolean canRebalance() {
    return GroupState.PREPARING_REBALANCE.validPrevious().contains(state);
  }

  // ---- members

  GroupMember member(String memberId) {
    return members.get(memberId);
  }

  boolean hasMember(String memberId) {
    return members.containsKey(memberId);
  }

  List<GroupMember> members() {
    return new ArrayList<>(members.values());
  }

  int size() {
    return members.size();
  }

  String staticMemberId(String groupInstanceId) {
    return staticMembers.get(groupInstanceId);
  }

  int awaitingJoinCount() {
    return awaitingJoinCount;
  }

  void add(GroupMember member, CompletableFuture<JoinResult> future) {
    if (member.isStatic()) {
      staticMembers.put(member.groupInstanceId(), member.memberId());
    }
    if (members.isEmpty()) {
      protocolType = member.protocolType();
    }
    if (leaderId == null) {
      leaderId = member.memberId();
    }
    members.put(member.memberId(), member);
    vote(member, 1);
    member.awaitingJoin(future);
    if (future != null) {
      awaitingJoinCount++;
    }
    pendingJoinMembers.remove(member.memberId());
  }

  /** Removes a member, failing any request it is still waiting on. */
  void remove(String memberId, Deferred out) {
    GroupMember removed = members.remove(memberId);
    if (removed != null) {
      vote(removed, -1);
      completeJoin(removed, JoinResult.failure(GroupError.UNKNOWN_MEMBER_ID, ""), out);
      completeSync(removed, SyncResult.failure(GroupError.UNKNOWN_MEMBER_ID), out);
      if (removed.isStatic()) {
        staticMembers.remove(removed.groupInstanceId());
      }
      removed.expiryToken++;
      if (removed.expiryCheck != null) {
        removed.expiryCheck.cancel();
        removed.expiryCheck = null;
      }
    }
    if (memberId.equals(leaderId)) {
      leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
    }
    pendingJoinMembers.remove(memberId);
    pendingSyncMembers.remove(memberId);
  }

  /**
   * Gives a static member a new member id, keeping everything else (KIP-345). The old id is fenced:
   * a join or sync it is waiting on fails with FENCED_INSTANCE_ID.
   */
  GroupMember replaceStaticMember(String oldMemberId, String newMemberId, Deferred out) {
    GroupMember old = members.remove(oldMemberId);
    completeJoin(old, JoinResult.failure(GroupError.FENCED_INSTANCE_ID, oldMemberId), out);
    completeSync(old, SyncResult.failure(GroupError.FENCED_INSTANCE_ID), out);
    old.expiryToken++;
    if (old.expiryCheck != null) {
      old.expiryCheck.cancel();
      old.expiryCheck = null;
    }
    GroupMember replacement = old.withId(newMemberId);
    members.put(newMemberId, replacement);
    if (oldMemberId.equals(leaderId)) {
      leaderId = newMemberId;
    }
    if (pendingSyncMembers.remove(oldMemberId)) {
      pendingSyncMembers.add(newMemberId);
    }
    staticMembers.put(replacement.groupInstanceId(), newMemberId);
    return replacement;
  }

  /** Changes a member's protocols and timeouts, and what it is waiting on. */
  void updateMember(
      GroupMember member,
      List<Protocol> protocols,
      int rebalanceTimeoutMs,
      int sessionTimeoutMs,
      CompletableFuture<JoinResult> future,
      Deferred out) {
    vote(member, -1);
    member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
    vote(member, 1);
    if (member.isAwaitingJoin()) {
      awaitingJoinCount--;
      // A duplicate join replaces the first; the first must still get an answer.
      out.complete(
          member.awaitingJoin(),
          JoinResult.failure(GroupError.REBALANCE_IN_PROGRESS, member.memberId()));
    }
    member.awaitingJoin(future);
    if (future != null) {
      awaitingJoinCount++;
    }
  }

  boolean completeJoin(GroupMember member, JoinResult result, Deferred out) {
    if (member == null || !member.isAwaitingJoin()) {
      return false;
    }
    out.complete(member.awaitingJoin(), result);
    member.awaitingJoin(null);
    awaitingJoinCount--;
    return true;
  }

  boolean completeSync(GroupMember member, SyncResult result, Deferred out) {
    if (member == null || !member.isAwaitingSync()) {
      return false;
    }
    out.complete(member.awaitingSync(), result);
    member.awaitingSync(null);
    return true;
  }

  /** Members that have not sent a JoinGroup during the current rebalance. */
  List<GroupMember> notYetRejoined() {
    return members.values().stream().filter(m -> !m.isAwaitingJoin()).toList();
  }

  boolean hasAllMembersJoined() {
    return members.size() == awaitingJoinCount && pendingJoinMembers.isEmpty();
  }

  /**
   * Keeps the leader if it rejoined, else makes the first member that rejoined the leader.
   *
   * @return false when there is no leader or nobody rejoined
   */
  boolean maybeElectNewJoinedLeader() {
    if (leaderId == null) {
      return false;
    }
    if (members.get(leaderId).isAwaitingJoin()) {
      return true;
    }
    for (GroupMember member : members.values()) {
      if (member.isAwaitingJoin()) {
        leaderId = member.memberId();
        return true;
      }
    }
    return false;
  }

  /** The group's rebalance timeout: the longest of its members'. */
  int rebalanceTimeoutMs() {
    int max = 0;
    for (GroupMember member : members.values()) {
      max = Math.max(max, member.rebalanceTimeoutMs());
    }
    return max;
  }

  // ---- pending members (KIP-394) and pending syncs

  boolean isPendingMember(String memberId) {
    return pendingJoinMembers.contains(memberId);
  }

  void addPendingMember(String memberId) {
    pendingJoinMembers.add(memberId);
  }

  boolean removePendingMember(String memberId) {
    return pendingJoinMembers.remove(memberId);
  }

  void addPendingSync(String memberId) {
    pendingSyncMembers.add(memberId);
  }

  void removePendingSync(String memberId) {
    pendingSyncMembers.remove(memberId);
  }

  Set<String> pendingSyncMembers() {
    return Set.copyOf(pendingSyncMembers);
  }

  void clearPendingSync() {
    pendingSyncMembers.clear();
  }

  // ---- protocol selection

  private void vote(GroupMember member, int delta) {
    for (Protocol protocol : member.protocols()) {
      protocolVotes.merge(protocol.name(), delta, Integer::sum);
    }
  }

  /**
   * Whether a member with these protocols can join: into an empty group any non-empty protocol type
   * and list will do; otherwise the type must be the group's and one protocol must be supported by
   * every current member.
   */
  boolean supportsProtocols(String memberProtocolType, List<Protocol> memberProtocols) {
    if (state == GroupState.EMPTY) {
      return !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
    }
    return memberProtocolType.equals(protocolType)
        && memberProtocols.stream()
            .anyMatch(p -> protocolVotes.getOrDefault(p.name(), 0) == members.size());
  }

  /**
   * The protocol for the next generation: among those every member supports, each member votes for
   * its most preferred; the most votes win (ties to the first member's choice).
   */
  String selectProtocol() {
    Set<String> candidates = new HashSet<>();
    protocolVotes.forEach(
        (name, count) -> {
          if (count == members.size()) {
            candidates.add(name);
          }
        });
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (GroupMember member : members.values()) {
      votes.merge(member.vote(candidates), 1, Integer::sum);
    }
    String best = null;
    int bestVotes = 0;
    for (Map.Entry<String, Integer> entry : votes.entrySet()) {
      if (entry.getValue() > bestVotes) {
        best = entry.getKey();
        bestVotes = entry.getValue();
      }
    }
    return best;
  }

  /** Moves to the next generation: CompletingRebalance with members, Empty without. */
  void initNextGeneration(long now) {
    generationId++;
    if (members.isEmpty()) {
      protocolName = null;
      transitionTo(GroupState.EMPTY, now);
    } else {
      protocolName = selectProtocol();
      transitionTo(GroupState.COMPLETING_REBALANCE, now);
    }
    pendingSyncMembers.clear();
  }

  /** Every member's metadata for the selected protocol, as the leader receives it. */
  List<JoinResult.Member> joinedMembers() {
    List<JoinResult.Member> result = new ArrayList<>();
    for (GroupMember member : members.values()) {
      result.add(
          new JoinResult.Member(
              member.memberId(), member.groupInstanceId(), member.metadata(protocolName)));
    }
    return result;
  }

  // ---- validation

  /** Checks that the member (and, if given, its instance id) is the group's. */
  GroupError validateMember(String memberId, String groupInstanceId) {
    if (groupInstanceId != null) {
      String current = staticMembers.get(groupInstanceId);
      if (current == null) {
        return GroupError.UNKNOWN_MEMBER_ID;
      }
      if (!current.equals(memberId)) {
        return GroupError.FENCED_INSTANCE_ID;
      }
    }
    return members.containsKey(memberId) ? GroupError.NONE : GroupError.UNKNOWN_MEMBER_ID;
  }

  GroupError validateOffsetCommit(String memberId, String groupInstanceId, int generation) {
    if (generation < 0 && state == GroupState.EMPTY) {
      return GroupError.NONE;
    }
    if (generation >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
      GroupError member = validateMember(memberId, groupInstanceId);
      if (member != GroupError.NONE) {
        return member;
      }
      if (generation != generationId) {
        return GroupError.ILLEGAL_GENERATION;
      }
    } else if (state != GroupState.EMPTY) {
      return GroupError.UNKNOWN_MEMBER_ID;
    }
    return state == GroupState.COMPLETING_REBALANCE
        ? GroupError.REBALANCE_IN_PROGRESS
        : GroupError.NONE;
  }

  // ---- offsets

  Map<TopicPartition, CommittedOffset> offsets() {
    return offsets;
  }

  boolean hasOffsets() {
    return !offsets.isEmpty();
  }

  @Override
  public String toString() {
    return "Group(" + groupId + ", " + state + ", generation " + generationId + ")";
  }
}
