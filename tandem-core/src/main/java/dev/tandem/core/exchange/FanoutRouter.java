package dev.tandem.core.exchange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Fanout exchanges: every binding matches, whatever the key. */
final class FanoutRouter implements Router {
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
    bindings.forEach(matched);
  }
}
