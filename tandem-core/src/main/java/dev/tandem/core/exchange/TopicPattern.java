package dev.tandem.core.exchange;

/**
 * One topic-exchange binding key, matched against routing keys as a topic exchange matches them
 * (see {@link TopicRouter}): for routing a topic's records on their keys. Immutable.
 */
public final class TopicPattern {
  private final String[] words;

  public TopicPattern(String bindingKey) {
    this.words = TopicRouter.split(bindingKey);
  }

  public boolean matches(String routingKey) {
    return TopicRouter.matches(words, 0, TopicRouter.split(routingKey), 0);
  }
}
