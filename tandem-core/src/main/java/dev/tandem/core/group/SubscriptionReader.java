package dev.tandem.core.group;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads which topics a group's members subscribe to from their protocol metadata, which only the
 * protocol layer understands (for Kafka: the consumer protocol's embedded subscription). The
 * coordinator uses it to refuse deleting the offsets of a topic a live group consumes.
 */
@FunctionalInterface
public interface SubscriptionReader {
  /**
   * The union of the members' subscribed topics, or empty when the protocol type is not one this
   * reader understands. Throws IllegalArgumentException when the type is known but the metadata
   * cannot be read; every topic then counts as subscribed.
   */
  Optional<Set<String>> subscribedTopics(String protocolType, List<byte[]> memberMetadata);
}
