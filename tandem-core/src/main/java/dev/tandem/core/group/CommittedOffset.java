package dev.tandem.core.group;

/**
 * An offset a group committed for one partition.
 *
 * @param offset the next offset the group will consume
 * @param leaderEpoch the leader epoch of the record before it, or -1 when unknown
 * @param metadata the client's string (never null; empty when none)
 * @param commitTimestamp when it was committed (ms), the base of offset retention
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
  /** What a fetch gets for a partition without a committed offset. */
  public static final CommittedOffset NONE = new CommittedOffset(-1, -1, "", -1);

  public CommittedOffset {
    metadata = metadata == null ? "" : metadata;
  }
}
