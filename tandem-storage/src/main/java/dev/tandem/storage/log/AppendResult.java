package dev.tandem.storage.log;

/**
 * Offsets assigned to one append.
 *
 * @param firstOffset offset of the first record appended
 * @param lastOffset offset of the last record appended
 * @param logAppendTime the broker time stamped on the batches, or -1 when they keep CreateTime
 * @param logStartOffset the log start offset when the append completed
 */
public record AppendResult(
    long firstOffset, long lastOffset, long logAppendTime, long logStartOffset) {}
