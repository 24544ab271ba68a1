package dev.tandem.kafka.api;

import dev.tandem.core.group.SubscriptionReader;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * Reads the topics of Kafka consumers' subscriptions from their JoinGroup metadata (protocol type
 * {@code consumer}): an int16 version, then a ConsumerProtocolSubscription, read at version 0 since
 * every later version extends it, as Kafka's coordinator does. Stateless.
 */
final class ConsumerSubscriptions implements SubscriptionReader {
  static final String PROTOCOL_TYPE = "consumer";

  @Override
  public Optional<Set<String>> subscribedTopics(String protocolType, List<byte[]> memberMetadata) {
    if (!PROTOCOL_TYPE.equals(protocolType)) {
      return Optional.empty();
    }
    Set<String> topics = new HashSet<>();
    for (byte[] metadata : memberMetadata) {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(metadata);
        buffer.getShort();
        topics.addAll(
            new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), (short) 0).topics());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("unreadable consumer subscription", e);
      }
    }
    return Optional.of(topics);
  }
}
