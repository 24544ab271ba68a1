package dev.tandem.core.group;

import java.util.Map;

/**
 * Offsets to commit for a group. A commit with generation -1 and no member id is a "simple" commit
 * from a client that does not use group membership: allowed only while the group has no members,
 * and it creates the group when there is none.
 *
 * @param groupId the group
 * @param generationId the committer's generation, or -1
 * @param memberId the committer's member id, or empty
 * @param groupInstanceId the committer's static instance id, or null
 * @param offsets what to commit (commit timestamps are set by the coordinator)
 */
public record OffsetCommitRequest(
    String groupId,
    int generationId,
    String memberId,
    String groupInstanceId,
    Map<TopicPartition, CommittedOffset> offsets) {}
