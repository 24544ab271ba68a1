package dev.tandem.core.group;

import dev.tandem.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every group of the broker and its committed offsets: the classic group protocol (join, sync,
 * heartbeat, leave; rules in {@link Membership}), listing, describing and deleting groups, and
 * committing, fetching and deleting offsets. Offsets and each group's generation are durable
 * ({@link GroupRecords}); membership is not, so after a restart every group is Empty.
 *
 * <p>Offsets expire as in Kafka (KIP-211): all of a group's once it has been Empty for {@code
 * offsets.retention.minutes}; those of a group without a protocol type (simple commits) each that
 * long after its commit. An Empty group without offsets is then deleted. Offsets of topics a live
 * group no longer subscribes to do not expire.
 *
 * <p>Thread-safe. Every change to a group happens under that group's lock; futures are completed
 * after it is released; nothing here blocks (a commit's future completes once the store has fsynced
 * it).
 */
public final class GroupCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

  private final Map<String, Group> groups;
  private final GroupRecords records;
  private final Membership membership;
  private final GroupTimer timer;
  private final GroupConfig config;

  private GroupCoordinator(
      Map<String, Group> loaded, GroupRecords records, GroupTimer timer, GroupConfig config) {
    this.groups = new ConcurrentHashMap<>(loaded);
    this.records = records;
    this.timer = timer;
    this.config = config;
    this.membership = new Membership(timer, config, records);
  }

  /** Loads the groups and offsets saved in {@code store} and starts offset expiry. */
  public static GroupCoordinator load(StateStore store, GroupTimer timer, GroupConfig config) {
    GroupRecords records = new GroupRecords(store);
    GroupCoordinator coordinator =
        new GroupCoordinator(records.load(timer.now()), records, timer, config);
    coordinator.scheduleExpiry();
    return coordinator;
  }

  public GroupConfig config() {
    return config;
  }

  // ---- the group protocol

  public CompletableFuture<JoinResult> join(JoinRequest request) {
    if (isNullOrEmpty(request.groupId())) {
      return done(JoinResult.failure(GroupError.INVALID_GROUP_ID, request.memberId()));
    }
    if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
        || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
      return done(JoinResult.failure(GroupError.INVALID_SESSION_TIMEOUT, request.memberId()));
    }
    CompletableFuture<JoinResult> result = new CompletableFuture<>();
    boolean newMember = request.memberId().isEmpty();
    withGroup(
        request.groupId(),
        newMember,
        (group, out) -> {
          if (group == null) {
            out.complete(
                result, JoinResult.failure(GroupError.UNKNOWN_MEMBER_ID, request.memberId()));
          } else {
            membership.join(group, request, result, out);
          }
          return null;
        });
    return result;
  }

  public CompletableFuture<SyncResult> sync(SyncRequest request) {
    if (isNullOrEmpty(request.groupId())) {
      return done(SyncResult.failure(GroupError.INVALID_GROUP_ID));
    }
    CompletableFuture<SyncResult> result = new CompletableFuture<>();
    withGroup(
        request.groupId(),
        false,
        (group, out) -> {
          if (group == null) {
            out.complete(result, SyncResult.failure(GroupError.UNKNOWN_MEMBER_ID));
          } else {
            membership.sync(group, request, result, out);
          }
          return null;
        });
    return result;
  }

  public GroupError heartbeat(
      String groupId, String memberId, String groupInstanceId, int generationId) {
    if (isNullOrEmpty(groupId)) {
      return GroupError.INVALID_GROUP_ID;
    }
    return withGroup(
        groupId,
        false,
        (group, out) ->
            group == null
                ? GroupError.UNKNOWN_MEMBER_ID
                : membership.heartbeat(group, memberId, groupInstanceId, generationId));
  }

  /** Removes members (by member id, or by instance id alone for static members). */
  public LeaveResult leave(String groupId, List<LeaveResult.Member> members) {
    if (isNullOrEmpty(groupId)) {
      return new LeaveResult(GroupError.INVALID_GROUP_ID, List.of());
    }
    return withGroup(
        groupId,
        false,
        (group, out) ->
            group == null
                ? new LeaveResult(GroupError.UNKNOWN_MEMBER_ID, List.of())
                : new LeaveResult(GroupError.NONE, membership.leave(group, members, out)));
  }

  // ---- administration

  /** The groups in one of {@code states} (all when empty), by id. */
  public List<GroupListing> list(Set<GroupState> states) {
    List<GroupListing> result = new ArrayList<>();
    for (Group group : groups.values()) {
      synchronized (group) {
        if (!group.is(GroupState.DEAD) && (states.isEmpty() || states.contains(group.state()))) {
          result.add(
              new GroupListing(group.groupId(), orEmpty(group.protocolType()), group.state()));
        }
      }
    }
    result.sort(Comparator.comparing(GroupListing::groupId));
    return result;
  }

  public Optional<GroupDescription> describe(String groupId) {
    return withGroup(
        groupId,
        false,
        (group, out) -> group == null ? Optional.empty() : Optional.of(describe(group)));
  }

  private static GroupDescription describe(Group group) {
    boolean stable = group.is(GroupState.STABLE);
    List<GroupDescription.Member> members = new ArrayList<>();
    for (GroupMember member : group.members()) {
      members.add(
          new GroupDescription.Member(
              member.memberId(),
              member.groupInstanceId(),
              member.clientId(),
              member.clientHost(),
              stable ? member.metadata(group.protocolName()) : GroupMember.EMPTY_ASSIGNMENT,
              member.assignment()));
    }
    return new GroupDescription(
        group.groupId(),
        group.state(),
        orEmpty(group.protocolType()),
        stable ? group.protocolName() : "",
        members);
  }

  /** Deletes groups that have no members, with their offsets. */
  public CompletableFuture<Map<String, GroupError>> delete(List<String> groupIds) {
    Map<String, GroupError> results = new LinkedHashMap<>();
    Map<String, CompletableFuture<Void>> writes = new LinkedHashMap<>();
    for (String groupId : groupIds) {
      if (groupId == null) {
        results.put(null, GroupError.INVALID_GROUP_ID);
        continue;
      }
      GroupError error =
          withGroup(
              groupId,
              false,
              (group, out) -> {
                if (group == null) {
                  return GroupError.GROUP_ID_NOT_FOUND;
                }
                if (!group.is(GroupState.EMPTY)) {
                  return GroupError.NON_EMPTY_GROUP;
                }
                List<CompletableFuture<Void>> removals = new ArrayList<>();
                for (TopicPartition partition : group.offsets().keySet()) {
                  removals.add(records.removeOffset(groupId, partition));
                }
                group.offsets().clear();
                removals.add(bury(group));
                writes.put(groupId, allOf(removals));
                LOG.info("deleted group {}", groupId);
                return GroupError.NONE;
              });
      results.put(groupId, error);
    }
    return allOf(new ArrayList<>(writes.values()))
        .handle(
            (v, e) -> {
              writes.forEach(
                  (groupId, write) -> {
                    if (write.isCompletedExceptionally()) {
                      results.put(groupId, GroupError.COORDINATOR_NOT_AVAILABLE);
                    }
                  });
              return results;
            });
  }

  // ---- offsets

  /** Commits offsets; the future completes once they are on disk, with a result per partition. */
  public CompletableFuture<Map<TopicPartition, GroupError>> commitOffsets(
      OffsetCommitRequest request) {
    Map<TopicPartition, GroupError> results = new LinkedHashMap<>();
    if (isNullOrEmpty(request.groupId())) {
      request.offsets().keySet().forEach(p -> results.put(p, GroupError.INVALID_GROUP_ID));
      return done(results);
    }
    Map<TopicPartition, CompletableFuture<Void>> writes = new LinkedHashMap<>();
    boolean simple = request.generationId() < 0;
    withGroup(
        request.groupId(),
        simple,
        (group, out) -> {
          GroupError error =
              group == null
                  ? GroupError.GROUP_ID_NOT_FOUND
                  : group.validateOffsetCommit(
                      request.memberId(), request.groupInstanceId(), request.generationId());
          long now = timer.now();
          request
              .offsets()
              .forEach(
                  (partition, offset) -> {
                    if (error != GroupError.NONE) {
                      results.put(partition, error);
                    } else if (offset.metadata().length() > config.offsetMetadataMaxBytes()) {
                      results.put(partition, GroupError.OFFSET_METADATA_TOO_LARGE);
                    } else {
                      CommittedOffset committed =
                          new CommittedOffset(
                              offset.offset(), offset.leaderEpoch(), offset.metadata(), now);
                      group.offsets().put(partition, committed);
                      writes.put(
                          partition, records.saveOffset(group.groupId(), partition, committed));
                      results.put(partition, GroupError.NONE);
                    }
                  });
          return null;
        });
    return allOf(new ArrayList<>(writes.values()))
        .handle(
            (v, e) -> {
              writes.forEach(
                  (partition, write) -> {
                    if (write.isCompletedExceptionally()) {
                      results.put(partition, GroupError.COORDINATOR_NOT_AVAILABLE);
                    }
                  });
              if (e != null) {
                LOG.warn("could not store offsets of group {}", request.groupId(), e);
              }
              return results;
            });
  }

  /**
   * The group's committed offsets for {@code partitions} ({@link CommittedOffset#NONE} where there
   * is none), or all of them when {@code partitions} is null. An unknown group has none.
   */
  public Map<TopicPartition, CommittedOffset> fetchOffsets(
      String groupId, List<TopicPartition> partitions) {
    return withGroup(
        groupId,
        false,
        (group, out) -> {
          Map<TopicPartition, CommittedOffset> result = new LinkedHashMap<>();
          if (partitions == null) {
            if (group != null) {
              result.putAll(group.offsets());
            }
          } else {
            for (TopicPartition partition : partitions) {
              result.put(
                  partition,
                  group == null
                      ? CommittedOffset.NONE
                      : group.offsets().getOrDefault(partition, CommittedOffset.NONE));
            }
          }
          return result;
        });
  }

  /**
   * Deletes committed offsets. A group with members keeps those of topics its members subscribe to
   * (as {@code subscriptions} reads them), and one whose subscriptions cannot be read keeps all.
   */
  public CompletableFuture<OffsetDeleteResult> deleteOffsets(
      String groupId, List<TopicPartition> partitions, SubscriptionReader subscriptions) {
    if (isNullOrEmpty(groupId)) {
      return done(new OffsetDeleteResult(GroupError.INVALID_GROUP_ID, Map.of()));
    }
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    OffsetDeleteResult result =
        withGroup(
            groupId,
            false,
            (group, out) -> {
              if (group == null) {
                return new OffsetDeleteResult(GroupError.GROUP_ID_NOT_FOUND, Map.of());
              }
              Optional<Predicate<String>> subscribed = subscribedTopics(group, subscriptions);
              if (subscribed.isEmpty()) {
                return new OffsetDeleteResult(GroupError.NON_EMPTY_GROUP, Map.of());
              }
              Map<TopicPartition, GroupError> results = new LinkedHashMap<>();
              for (TopicPartition partition : partitions) {
                if (subscribed.get().test(partition.topic())) {
                  results.put(partition, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                  if (group.offsets().remove(partition) != null) {
                    writes.add(records.removeOffset(groupId, partition));
                  }
                  results.put(partition, GroupError.NONE);
                }
              }
              return new OffsetDeleteResult(GroupError.NONE, results);
            });
    return allOf(writes)
        .handle(
            (v, e) ->
                e == null
                    ? result
                    : new OffsetDeleteResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of()));
  }

  /** Which topics a group protects from offset deletion; empty when it protects everything. */
  private static Optional<Predicate<String>> subscribedTopics(
      Group group, SubscriptionReader subscriptions) {
    if (group.is(GroupState.EMPTY)) {
      return Optional.of(topic -> false);
    }
    List<byte[]> metadata = new ArrayList<>();
    for (GroupMember member : group.members()) {
      String protocol =
          group.protocolName() != null ? group.protocolName() : member.protocols().get(0).name();
      metadata.add(member.metadata(protocol));
    }
    try {
      return subscriptions
          .subscribedTopics(group.protocolType(), metadata)
          .map(topics -> topics::contains);
    } catch (IllegalArgumentException e) {
      return Optional.of(topic -> true);
    }
  }

  // ---- expiry

  private void scheduleExpiry() {
    timer.schedule(
        () -> {
          try {
            expireOffsets();
          } catch (RuntimeException e) {
            LOG.error("offset expiry failed", e);
          } finally {
            scheduleExpiry();
          }
        },
        config.offsetsRetentionCheckIntervalMs());
  }

  /** Drops expired offsets, then deletes Empty groups that have none left. */
  void expireOffsets() {
    long now = timer.now();
    for (Group group : List.copyOf(groups.values())) {
      synchronized (group) {
        if (group.is(GroupState.DEAD)) {
          continue;
        }
        List<TopicPartition> expired = new ArrayList<>();
        group
            .offsets()
            .forEach(
                (partition, offset) -> {
                  if (isExpired(group, offset, now)) {
                    expired.add(partition);
                  }
                });
        for (TopicPartition partition : expired) {
          group.offsets().remove(partition);
          records.removeOffset(group.groupId(), partition);
        }
        if (!expired.isEmpty()) {
          LOG.info("group {}: {} committed offsets expired", group.groupId(), expired.size());
        }
        if (group.is(GroupState.EMPTY) && !group.hasOffsets()) {
          bury(group);
        }
      }
    }
  }

  private boolean isExpired(Group group, CommittedOffset offset, long now) {
    if (group.protocolType() == null) {
      return now - offset.commitTimestamp() >= config.offsetsRetentionMs();
    }
    return group.is(GroupState.EMPTY)
        && now - group.stateTimestamp() >= config.offsetsRetentionMs();
  }

  // ---- locking

  /** An action on a group under its lock; {@code group} is null when there is no such group. */
  private interface Locked<T> {
    T apply(Group group, Deferred out);
  }

  /**
   * Runs {@code action} under the group's lock (creating the group if asked), then completes the
   * futures it deferred. A group found Dead was deleted meanwhile and is looked up again.
   */
  private <T> T withGroup(String groupId, boolean create, Locked<T> action) {
    Deferred out = new Deferred();
    try {
      while (true) {
        Group group =
            create
                ? groups.computeIfAbsent(groupId, id -> new Group(id, timer.now()))
                : groups.get(groupId);
        if (group == null) {
          return action.apply(null, out);
        }
        synchronized (group) {
          if (!group.is(GroupState.DEAD)) {
            return action.apply(group, out);
          }
        }
      }
    } finally {
      out.run();
    }
  }

  /** Marks the group Dead and forgets it; call under its lock. */
  private CompletableFuture<Void> bury(Group group) {
    group.transitionTo(GroupState.DEAD, timer.now());
    groups.remove(group.groupId(), group);
    return records.removeGroup(group.groupId());
  }

  private static CompletableFuture<Void> allOf(List<CompletableFuture<Void>> futures) {
    return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static boolean isNullOrEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
