package dev.tandem.core.delay;

/**
 * Where a held message goes when it is due: routed through an exchange (a delayed-message exchange,
 * by its {@code x-delayed-type}), or enqueued on one queue. Immutable.
 *
 * @param kind exchange or queue
 * @param name the exchange's or queue's name in the vhost
 */
public record DelayTarget(Kind kind, String name) {
  /** What the name names. */
  public enum Kind {
    EXCHANGE,
    QUEUE
  }

  public static DelayTarget exchange(String name) {
    return new DelayTarget(Kind.EXCHANGE, name);
  }

  public static DelayTarget queue(String name) {
    return new DelayTarget(Kind.QUEUE, name);
  }
}
