package dev.tandem.core.group;

import java.util.Map;

/**
 * The answer to an offset deletion: a group-level error, or one result per partition.
 *
 * @param error NONE, or why nothing was deleted
 * @param partitions per partition, in request order
 */
public record OffsetDeleteResult(GroupError error, Map<TopicPartition, GroupError> partitions) {}
