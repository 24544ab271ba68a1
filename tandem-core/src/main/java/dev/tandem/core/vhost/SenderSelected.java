package dev.tandem.core.vhost;

import dev.tandem.core.queue.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * RabbitMQ's sender-selected distribution: a message whose {@code CC} or {@code BCC} header is an
 * array of strings is routed with each of those routing keys as well as its own, and reaches each
 * queue once. The AMQP edge leaves {@code BCC} out of the message that is stored and delivered;
 * {@code CC} stays. Other types of those headers are ignored, as RabbitMQ ignores them. Stateless.
 */
final class SenderSelected {
  static final String CC = "CC";
  static final String BCC = "BCC";

  private SenderSelected() {}

  /** The routing keys a message is routed with: its own first, then CC's, then BCC's. */
  static List<String> routingKeys(Message message) {
    Object cc = message.headers().get(CC);
    Object bcc = message.headers().get(BCC);
    if (!(cc instanceof List) && !(bcc instanceof List)) {
      return List.of(message.routingKey());
    }
    List<String> keys = new ArrayList<>();
    keys.add(message.routingKey());
    addStrings(cc, keys);
    addStrings(bcc, keys);
    return keys;
  }

  private static void addStrings(Object header, List<String> keys) {
    if (header instanceof List<?> values) {
      for (Object value : values) {
        if (value instanceof String key && !keys.contains(key)) {
          keys.add(key);
        }
      }
    }
  }
}
