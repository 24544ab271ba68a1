package dev.tandem.core.vhost;

import dev.tandem.core.queue.Queue;
import dev.tandem.core.topic.Topic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Where one message is routed: queues, and streams it is appended to. Not thread-safe. */
final class Targets {
  final Set<Queue> queues = new LinkedHashSet<>();
  private List<Topic> streams = List.of();

  void add(Topic stream) {
    for (Topic existing : streams) {
      if (existing.name().equals(stream.name())) {
        return;
      }
    }
    if (streams.isEmpty()) {
      streams = new ArrayList<>(2);
    }
    streams.add(stream);
  }

  List<Topic> streams() {
    return streams;
  }

  int size() {
    return queues.size() + streams.size();
  }

  boolean isEmpty() {
    return queues.isEmpty() && streams.isEmpty();
  }
}
