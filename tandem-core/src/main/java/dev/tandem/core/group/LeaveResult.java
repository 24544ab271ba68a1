package dev.tandem.core.group;

import java.util.List;

/**
 * The answer to a LeaveGroup: a group-level error, or one result per leaving member.
 *
 * @param error NONE, or why no member could be looked at (unknown group)
 * @param members per member, in request order
 */
public record LeaveResult(GroupError error, List<Member> members) {
  public LeaveResult {
    members = List.copyOf(members);
  }

  /**
   * A member asked to leave, and what happened.
   *
   * @param memberId the member id as sent (may be empty when only the instance id is known)
   * @param groupInstanceId the instance id as sent, or null
   * @param error NONE when it left
   */
  public record Member(String memberId, String groupInstanceId, GroupError error) {}
}
