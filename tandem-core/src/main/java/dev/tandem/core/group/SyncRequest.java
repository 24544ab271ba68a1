package dev.tandem.core.group;

import java.util.Map;

/**
 * A member of a new generation asking for its assignment; the leader also hands in everyone's.
 *
 * @param groupId the group
 * @param generationId the generation the member joined
 * @param memberId the member
 * @param groupInstanceId its static instance id, or null
 * @param protocolType the protocol type the member believes in, or null when not sent
 * @param protocolName the protocol the member believes was selected, or null when not sent
 * @param assignments from the leader, by member id; empty from followers
 */
public record SyncRequest(
    String groupId,
    int generationId,
    String memberId,
    String groupInstanceId,
    String protocolType,
    String protocolName,
    Map<String, byte[]> assignments) {
  public SyncRequest {
    assignments = Map.copyOf(assignments);
  }
}
