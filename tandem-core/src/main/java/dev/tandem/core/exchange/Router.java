package dev.tandem.core.exchange;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The routing rule of one exchange type over the bindings of one exchange. Implementations keep
 * whatever index makes routing cheap. Not thread-safe: the owning {@link Exchange} guards it.
 */
public interface Router {
  void add(Binding binding);

  void remove(Binding binding);

  Collection<Binding> bindings();

  /** Calls {@code matched} once per binding whose key and arguments match the message. */
  void route(String routingKey, Map<String, Object> headers, Consumer<Binding> matched);
}
