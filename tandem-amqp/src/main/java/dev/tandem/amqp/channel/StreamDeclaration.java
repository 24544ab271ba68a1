package dev.tandem.amqp.channel;

import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.vhost.Vhost;

/**
 * queue.declare of a stream: {@code x-queue-type: stream} declares one (a topic), and a passive
 * declaration of a topic's name finds it, since every topic is a stream queue. Stateless.
 */
final class StreamDeclaration {
  private StreamDeclaration() {}

  static boolean isStream(QueueOptions options, boolean passive, Vhost vhost, String name) {
    if ("stream".equals(options.arguments().get("x-queue-type"))) {
      return true;
    }
    return passive && vhost.isStream(name);
  }
}
