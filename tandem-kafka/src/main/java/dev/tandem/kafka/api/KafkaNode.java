package dev.tandem.kafka.api;

import dev.tandem.core.Node;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/**
 * What the Kafka handlers share: the core node and how this broker presents itself to Kafka clients
 * (its node id, and the host and port it advertises). Immutable.
 *
 * @param node the core node
 * @param nodeId the broker id clients see (node.id)
 * @param advertisedHost the host clients connect to
 * @param advertisedPort the port clients connect to
 */
public record KafkaNode(Node node, int nodeId, String advertisedHost, int advertisedPort) {
  public static Uuid toKafka(UUID id) {
    return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  public static UUID fromKafka(Uuid id) {
    return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }
}
