package dev.tandem.core.group;

/**
 * A partition of a topic, by name, as committed offsets are keyed.
 *
 * @param topic the topic's name
 * @param partition the partition's index
 */
public record TopicPartition(String topic, int partition) {
  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
