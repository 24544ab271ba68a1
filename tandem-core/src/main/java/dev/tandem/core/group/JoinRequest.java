package dev.tandem.core.group;

import java.util.List;

/**
 * A member asking to join (or rejoin) a group.
 *
 * @param groupId the group
 * @param memberId the member id the coordinator gave it, or empty for a new member
 * @param groupInstanceId the static member's instance id (KIP-345), or null for a dynamic member
 * @param clientId the client's id, the prefix of generated member ids
 * @param clientHost the client's address as shown by DescribeGroups
 * @param sessionTimeoutMs how long without a heartbeat before the member is removed
 * @param rebalanceTimeoutMs how long the member may take to rejoin during a rebalance
 * @param protocolType the kind of group, e.g. {@code consumer}
 * @param protocols the protocols it supports, most preferred first
 * @param requireKnownMemberId whether a new dynamic member must first be given an id (KIP-394)
 * @param canSkipAssignment whether a static leader rejoining a stable group may be told to skip the
 *     assignment (KIP-814)
 */
public record JoinRequest(
    String groupId,
    String memberId,
    String groupInstanceId,
    String clientId,
    String clientHost,
    int sessionTimeoutMs,
    int rebalanceTimeoutMs,
    String protocolType,
    List<Protocol> protocols,
    boolean requireKnownMemberId,
    boolean canSkipAssignment) {
  public JoinRequest {
    protocols = List.copyOf(protocols);
  }
}
