package dev.tandem.kafka.api;

import dev.tandem.core.Node;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.apache.kafka.common.Uuid;

/**
 * What the Kafka handlers share: the core node and how this broker presents itself to Kafka clients
 * (its node id, and the host and port it advertises). Immutable.
 *
 * @param node the core node
 * @param nodeId the broker id clients see (node.id)
 * @param advertisedHost the host clients connect to
 * @param port the port clients connect to; read when answering, since a listener asked for port 0
 *     learns its port only once bound
 */
public record KafkaNode(Node node, int nodeId, String advertisedHost, IntSupplier port) {
  public KafkaNode(Node node, int nodeId, String advertisedHost, int port) {
    this(node, nodeId, advertisedHost, () -> port);
  }

  public int advertisedPort() {
    return port.getAsInt();
  }

  public static Uuid toKafka(UUID id) {
    return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  public static UUID fromKafka(Uuid id) {
    return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }
}
