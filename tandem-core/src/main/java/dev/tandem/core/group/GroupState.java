package dev.tandem.core.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a group under the classic rebalance protocol, with the names Kafka shows for them
 * (ListGroups, DescribeGroups) and the transitions it allows.
 *
 * <pre>
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance
 *     ▲                 ▲        │                                  │ leader's SyncGroup
 *     └── last member ──┘        └──── nobody left ────▶ Empty      ▼
 *         leaves                                                 Stable
 *   Empty ──delete / expiry──▶ Dead (terminal; the group is gone)
 * </pre>
 */
public enum GroupState {
  EMPTY("Empty"),
  PREPARING_REBALANCE("PreparingRebalance"),
  COMPLETING_REBALANCE("CompletingRebalance"),
  STABLE("Stable"),
  DEAD("Dead");

  private final String displayName;

  GroupState(String displayName) {
    this.displayName = displayName;
  }

  /** The name Kafka uses on the wire and in its tools, e.g. {@code PreparingRebalance}. */
  public String displayName() {
    return displayName;
  }

  /** The state whose display name matches, ignoring case, or null. */
  public static GroupState parse(String name) {
    for (GroupState state : values()) {
      if (state.displayName.equalsIgnoreCase(name)) {
        return state;
      }
    }
    return null;
  }

  Set<GroupState> validPrevious() {
    return switch (this) {
      case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
      case PREPARING_REBALANCE -> EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
      case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
      case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
      case DEAD -> EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
    };
  }

  @Override
  public String toString() {
    return displayName;
  }
}
