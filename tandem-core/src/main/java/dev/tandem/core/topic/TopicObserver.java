package dev.tandem.core.topic;

/**
 * Learns of topics coming and going, and may refuse a name: the AMQP side of the broker keeps an
 * exchange per topic and refuses a topic whose name an exchange or a queue of another kind holds.
 *
 * <p>Called while {@link Topics} holds its lock: implementations must not block and must not take
 * locks that are held while calling into {@link Topics}.
 */
public interface TopicObserver {
  /**
   * Refuses a name that is taken.
   *
   * @throws TopicException with reason {@link TopicException.Reason#NAME_TAKEN}
   */
  void checkName(String name);

  /** A topic was created (or opened at start). */
  void onCreated(Topic topic);

  /** A topic was deleted; its logs are gone. */
  void onDeleted(Topic topic);
}
