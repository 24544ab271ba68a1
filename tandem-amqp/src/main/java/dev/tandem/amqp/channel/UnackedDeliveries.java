package dev.tandem.amqp.channel;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;

/**
 * A channel's unacknowledged deliveries by delivery tag, in tag order (tags are handed out in
 * increasing order, so insertion order is tag order). basic.ack, basic.nack and basic.reject take
 * deliveries out as RabbitMQ does (§1.8.3.13): one tag, every tag up to one with {@code multiple},
 * or all of them for tag 0 with {@code multiple}; a tag that is not outstanding is 406
 * PRECONDITION_FAILED "unknown delivery tag".
 *
 * <p>Not thread-safe: used on the connection's event loop.
 */
final class UnackedDeliveries {
  private final LinkedHashMap<Long, Unacked> byTag = new LinkedHashMap<>();

  void add(Unacked delivery) {
    byTag.put(delivery.tag(), delivery);
  }

  int size() {
    return byTag.size();
  }

  /** When the oldest outstanding delivery was handed out ({@link System#nanoTime()}), if any. */
  OptionalLong oldestDeliveredAt() {
    // Tag order is delivery order, also after restore.
    Iterator<Unacked> it = byTag.values().iterator();
    return it.hasNext() ? OptionalLong.of(it.next().deliveredAt()) : OptionalLong.empty();
  }

  /**
   * Takes the deliveries an acknowledgement names.
   *
   * @throws AmqpException 406 if {@code tag} is not outstanding (unless tag 0 with multiple)
   */
  List<Unacked> take(long tag, boolean multiple) {
    if (multiple && tag == 0) {
      return takeAll();
    }
    if (!byTag.containsKey(tag)) {
      throw new AmqpException(ReplyCode.PRECONDITION_FAILED, "unknown delivery tag " + tag);
    }
    if (!multiple) {
      return List.of(byTag.remove(tag));
    }
    List<Unacked> taken = new ArrayList<>();
    Iterator<Unacked> it = byTag.values().iterator();
    while (it.hasNext()) {
      Unacked next = it.next();
      if (next.tag() > tag) {
        break;
      }
      taken.add(next);
      it.remove();
    }
    return taken;
  }

  List<Unacked> takeAll() {
    List<Unacked> all = new ArrayList<>(byTag.values());
    byTag.clear();
    return all;
  }

  /** Puts deliveries back (tx.rollback of their acknowledgements), keeping tag order. */
  void restore(List<Unacked> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    List<Unacked> all = new ArrayList<>(byTag.values());
    all.addAll(deliveries);
    all.sort(Comparator.comparingLong(Unacked::tag));
    byTag.clear();
    all.forEach(this::add);
  }
}
