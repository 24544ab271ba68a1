package dev.tandem.core.group;

import java.util.List;

/**
 * The answer to a {@link JoinRequest}: the generation the member joined, or why it did not.
 *
 * @param error NONE, or why the join failed ({@link GroupError#MEMBER_ID_REQUIRED} carries the new
 *     member id)
 * @param generationId the new generation, or -1
 * @param protocolType the group's protocol type, or null
 * @param protocolName the protocol selected for the generation, or null
 * @param leaderId the leader's member id, or empty
 * @param memberId the member's id
 * @param skipAssignment whether the leader may skip computing an assignment (KIP-814)
 * @param members every member's metadata for the selected protocol; only the leader gets them
 */
public record JoinResult(
    GroupError error,
    int generationId,
    String protocolType,
    String protocolName,
    String leaderId,
    String memberId,
    boolean skipAssignment,
    List<Member> members) {
  public JoinResult {
    members = List.copyOf(members);
  }

  /**
   * A member as the leader sees it.
   *
   * @param memberId its id
   * @param groupInstanceId its static instance id, or null
   * @param metadata its metadata for the selected protocol
   */
  public record Member(String memberId, String groupInstanceId, byte[] metadata) {}

  public static JoinResult failure(GroupError error, String memberId) {
    return new JoinResult(error, -1, null, null, "", memberId, false, List.of());
  }
}
