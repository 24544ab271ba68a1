package dev.tandem.core.group;

/**
 * A group as ListGroups shows it.
 *
 * @param groupId the group
 * @param protocolType its protocol type, or empty for a group that only stores offsets
 * @param state its state
 */
public record GroupListing(String groupId, String protocolType, GroupState state) {}
