package dev.tandem.core.exchange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Direct exchanges: a binding matches when its key equals the routing key. */
final class DirectRouter implements Router {
  private final Map<String, Set<Binding>> byKey = new HashMap<>();

  @Override
  public void add(Binding binding) {
    byKey.computeIfAbsent(binding.key(), k -> new LinkedHashSet<>()).add(binding);
  }

  @Override
  public void remove(Binding binding) {
    Set<Binding> set = byKey.get(binding.key());
    if (set != null && set.remove(binding) && set.isEmpty()) {
      byKey.remove(binding.key());
    }
  }

  @Override
  public Collection<Binding> bindings() {
    List<Binding> all = new ArrayList<>();
    byKey.values().forEach(all::addAll);
    return all;
  }

  @Override
  public void route(String routingKey, Map<String, Object> headers, Consumer<Binding> matched) {
    Set<Binding> set = byKey.get(routingKey);
    if (set != null) {
      set.forEach(matched);
    }
  }
}
