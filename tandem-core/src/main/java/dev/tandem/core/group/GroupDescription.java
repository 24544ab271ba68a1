package dev.tandem.core.group;

import java.util.List;

/**
 * A group as DescribeGroups shows it. Member metadata is given only when the group is stable.
 *
 * @param groupId the group
 * @param state its state
 * @param protocolType its protocol type, or empty
 * @param protocolName the selected protocol when stable, else empty
 * @param members its members
 */
public record GroupDescription(
    String groupId,
    GroupState state,
    String protocolType,
    String protocolName,
    List<Member> members) {
  public GroupDescription {
    members = List.copyOf(members);
  }

  /**
   * One member.
   *
   * @param memberId its id
   * @param groupInstanceId its static instance id, or null
   * @param clientId its client id
   * @param clientHost its address
   * @param metadata its metadata for the selected protocol (empty unless the group is stable)
   * @param assignment its current assignment
   */
  public record Member(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      byte[] metadata,
      byte[] assignment) {}
}
