package dev.tandem.core.group;

/**
 * A member's assignment for its generation, or why there is none.
 *
 * @param error NONE, or the reason
 * @param protocolType the group's protocol type, or null on error
 * @param protocolName the selected protocol, or null on error
 * @param assignment the bytes the leader assigned to the member; empty on error
 */
public record SyncResult(
    GroupError error, String protocolType, String protocolName, byte[] assignment) {
  public static SyncResult failure(GroupError error) {
    return new SyncResult(error, null, null, GroupMember.EMPTY_ASSIGNMENT);
  }
}
