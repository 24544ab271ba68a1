package dev.tandem.core.group;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a group: who it is, the protocols it supports, its assignment, the join or sync
 * request it is waiting on, and its session deadline.
 *
 * <p>Not thread-safe: every access is under the owning group's lock.
 */
final class GroupMember {
  static final byte[] EMPTY_ASSIGNMENT = new byte[0];

  private final String memberId;
  private final String groupInstanceId;
  private final String clientId;
  private final String clientHost;
  private final String protocolType;
  private int rebalanceTimeoutMs;
  private int sessionTimeoutMs;
  private List<Protocol> protocols;
  private byte[] assignment = EMPTY_ASSIGNMENT;
  private CompletableFuture<JoinResult> awaitingJoin;
  private CompletableFuture<SyncResult> awaitingSync;
  private boolean isNew;

  /** When the member's session ends unless it heartbeats again. */
  long sessionDeadline;

  /** Identifies the session expiry check outstanding on the timer, if any. */
  long expiryToken;

  /** When that check fires, or Long.MAX_VALUE when there is none. */
  long expiryCheckAt = Long.MAX_VALUE;

  GroupTimer.Scheduled expiryCheck;

  GroupMember(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      int rebalanceTimeoutMs,
      int sessionTimeoutMs,
      String protocolType,
      List<Protocol> protocols) {
    this.memberId = memberId;
    this.groupInstanceId = groupInstanceId;
    this.clientId = clientId;
    this.clientHost = clientHost;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.protocolType = protocolType;
    this.protocols = List.copyOf(protocols);
  }

  /** The same member under a new id, as when a static member restarts (KIP-345). */
  GroupMember withId(String newMemberId) {
    GroupMember copy =
        new GroupMember(
            newMemberId,
            groupInstanceId,
            clientId,
            clientHost,
            rebalanceTimeoutMs,
            sessionTimeoutMs,
            protocolType,
            protocols);
    copy.assignment = assignment;
    return copy;
  }

  String memberId() {
    return memberId;
  }

  String groupInstanceId() {
    return groupInstanceId;
  }

  boolean isStatic() {
    return groupInstanceId != null;
  }

  String clientId() {
    return clientId;
  }

  String clientHost() {
    return clientHost;
  }

  String protocolType() {
    return protocolType;
  }

  int rebalanceTimeoutMs() {
    return rebalanceTimeoutMs;
  }

  int sessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  List<Protocol> protocols() {
    return protocols;
  }

  void update(List<Protocol> newProtocols, int newRebalanceTimeoutMs, int newSessionTimeoutMs) {
    protocols = List.copyOf(newProtocols);
    rebalanceTimeoutMs = newRebalanceTimeoutMs;
    sessionTimeoutMs = newSessionTimeoutMs;
  }

  byte[] assignment() {
    return assignment;
  }

  void assignment(byte[] value) {
    assignment = value == null ? EMPTY_ASSIGNMENT : value;
  }

  boolean isNew() {
    return isNew;
  }

  void isNew(boolean value) {
    isNew = value;
  }

  CompletableFuture<JoinResult> awaitingJoin() {
    return awaitingJoin;
  }

  void awaitingJoin(CompletableFuture<JoinResult> future) {
    awaitingJoin = future;
  }

  boolean isAwaitingJoin() {
    return awaitingJoin != null;
  }

  CompletableFuture<SyncResult> awaitingSync() {
    return awaitingSync;
  }

  void awaitingSync(CompletableFuture<SyncResult> future) {
    awaitingSync = future;
  }

  boolean isAwaitingSync() {
    return awaitingSync != null;
  }

  /**
   * Whether an expired session is excused: a known member waiting in a join or sync is kept (the
   * rebalance and sync timeouts deal with it); a new member is not.
   */
  boolean hasSatisfiedHeartbeat() {
    return !isNew && (isAwaitingJoin() || isAwaitingSync());
  }

  /** Whether these protocols are exactly the member's, metadata included, in the same order. */
  boolean matches(List<Protocol> other) {
    return protocols.equals(other);
  }

  /** The member's most preferred protocol among the candidates. */
  String vote(Set<String> candidates) {
    for (Protocol protocol : protocols) {
      if (candidates.contains(protocol.name())) {
        return protocol.name();
      }
    }
    throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
  }

  /** The member's metadata for a protocol, or an empty array if it does not support it. */
  byte[] metadata(String protocolName) {
    for (Protocol protocol : protocols) {
      if (protocol.name().equals(protocolName)) {
        return protocol.metadata();
      }
    }
    return EMPTY_ASSIGNMENT;
  }

  @Override
  public String toString() {
    return "GroupMember(" + memberId + (isStatic() ? ", instance " + groupInstanceId : "") + ")";
  }
}
