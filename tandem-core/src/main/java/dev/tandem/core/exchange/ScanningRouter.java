package dev.tandem.core.exchange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A router without an index: it keeps its bindings in declaration order and asks {@link #matches}
 * of each one per message. Fanout and headers exchanges route this way, as in RabbitMQ. Not
 * thread-safe; the owning {@link Exchange} guards it.
 */
abstract class ScanningRouter implements Router {
  private final Set<Binding> bindings = new LinkedHashSet<>();

  @Override
  public void add(Binding binding) {
    bindings.add(binding);
  }

  @Override
  public void remove(Binding binding) {
    bindings.remove(binding);
  }

  @Override
  public Collection<Binding> bindings() {
    return new ArrayList<>(bindings);
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<Binding> matched) {
    for (Binding binding : bindings) {
      if (matches(binding, routingKey, headers)) {
        matched.accept(binding);
      }
    }
  }

  abstract boolean matches(Binding binding, String routingKey, Map<String, Object> headers);
}
