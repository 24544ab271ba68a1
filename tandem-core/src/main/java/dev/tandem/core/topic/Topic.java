package dev.tandem.core.topic;

import java.util.List;
import java.util.UUID;

/**
 * A named, partitioned stream of records: a Kafka topic, and to AMQP clients a stream queue.
 * Immutable snapshot; adding partitions or changing configs yields a new instance.
 *
 * @param name the topic's name
 * @param id its id, fixed at creation (Kafka's topic id)
 * @param partitions its partitions, by index
 * @param config its overrides of the broker's log defaults
 */
public record Topic(String name, UUID id, List<Partition> partitions, TopicConfig config) {
  public Topic {
    partitions = List.copyOf(partitions);
  }

  /** The records its partitions hold now (high watermark minus log start, summed). */
  public long records() {
    long records = 0;
    for (Partition partition : partitions) {
      records += partition.log().highWatermark() - partition.log().startOffset();
    }
    return records;
  }

  public Partition partition(int index) {
    if (index < 0 || index >= partitions.size()) {
      throw new TopicException(
          TopicException.Reason.UNKNOWN_PARTITION, "topic " + name + " has no partition " + index);
    }
    return partitions.get(index);
  }
}
