package dev.tandem.core.group;

/**
 * Why a group operation was refused, as a domain code the protocol layer maps onto its own error
 * codes. The cases follow the classic group protocol's own (KIP-62, KIP-345, KIP-394); {@link
 * #NONE} is success.
 */
public enum GroupError {
  NONE,
  /** The group id is missing or empty where one is required. */
  INVALID_GROUP_ID,
  /** No such group (or, for older protocol versions, treated as a stale generation). */
  GROUP_ID_NOT_FOUND,
  /** The member id is not (or no longer) a member of the group. */
  UNKNOWN_MEMBER_ID,
  /** KIP-394: a new member must rejoin with the member id handed back to it. */
  MEMBER_ID_REQUIRED,
  /** The request's generation is not the group's. */
  ILLEGAL_GENERATION,
  /** A rebalance is under way: the member must rejoin. */
  REBALANCE_IN_PROGRESS,
  /** The member's protocol type or protocols do not fit the group's. */
  INCONSISTENT_GROUP_PROTOCOL,
  /** The session timeout is outside the broker's allowed range. */
  INVALID_SESSION_TIMEOUT,
  /** KIP-345: another member now holds this group instance id. */
  FENCED_INSTANCE_ID,
  /** The group has as many members as it may have. */
  GROUP_MAX_SIZE_REACHED,
  /** The group has members, so the operation (e.g. deletion) is not allowed. */
  NON_EMPTY_GROUP,
  /** Offsets of a topic the group's members subscribe to cannot be deleted. */
  GROUP_SUBSCRIBED_TO_TOPIC,
  /** The commit's metadata string is longer than allowed. */
  OFFSET_METADATA_TOO_LARGE,
  /** The group's state could not be read or written (e.g. the store failed); retriable. */
  COORDINATOR_NOT_AVAILABLE
}
