package dev.tandem.core.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * An exchange of a vhost: its declared attributes and its bindings, routed by its type's {@link
 * Router} (for an x-delayed-message exchange, the router of its {@code x-delayed-type}). The
 * default exchange (name "") is a direct exchange with an implicit binding to every queue by the
 * queue's name; the vhost resolves it without bindings.
 *
 * <p>Thread-safe: routing takes a read lock, binding changes a write lock.
 */
public final class Exchange {
  private final String name;
  private final ExchangeType type;
  private final boolean durable;
  private final boolean autoDelete;
  private final boolean internal;
  private final Map<String, Object> arguments;
  private final Router router;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  /**
   * An exchange without bindings.
   *
   * @throws IllegalArgumentException for an x-delayed-message exchange whose {@code x-delayed-type}
   *     names no type it can route as (the vhost refuses such a declaration first)
   */
  public Exchange(
      String name,
      ExchangeType type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {
    this.name = name;
    this.type = type;
    this.durable = durable;
    this.autoDelete = autoDelete;
    this.internal = internal;
    this.arguments = ArgumentTable.copyOf(arguments);
    this.router =
        type.routingType(this.arguments)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "exchange '" + name + "' has no " + ExchangeType.DELAYED_TYPE))
            .newRouter();
  }

  public String name() {
    return name;
  }

  public ExchangeType type() {
    return type;
  }

  /** Whether it holds messages with a positive {@code x-delay} before routing them. */
  public boolean delays() {
    return type == ExchangeType.DELAYED_MESSAGE;
  }

  public boolean durable() {
    return durable;
  }

  public boolean autoDelete() {
    return autoDelete;
  }

  public boolean internal() {
    return internal;
  }

  public Map<String, Object> arguments() {
    return arguments;
  }

  /** The alternate exchange that gets what this exchange routes nowhere, or null. */
  public String alternateExchange() {
    Object value = arguments.get("alternate-exchange");
    return value == null ? null : value.toString();
  }

  /** Adds a binding; returns false when an identical one exists. */
  public boolean bind(Binding binding) {
    lock.writeLock().lock();
    try {
      boolean added = !router.bindings().contains(binding);
      router.add(binding);
      return added;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public boolean unbind(Binding binding) {
    lock.writeLock().lock();
    try {
      boolean present = router.bindings().contains(binding);
      router.remove(binding);
      return present;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes every binding whose destination is {@code destination}; returns them. */
  public List<Binding> unbindAll(String destination, boolean toExchange) {
    lock.writeLock().lock();
    try {
      List<Binding> removed = new ArrayList<>();
      for (Binding binding : router.bindings()) {
        if (binding.destination().equals(destination) && binding.toExchange() == toExchange) {
          router.remove(binding);
          removed.add(binding);
        }
      }
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public List<Binding> bindings() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(router.bindings());
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean hasBindings() {
    lock.readLock().lock();
    try {
      return !router.bindings().isEmpty();
    } finally {
      lock.readLock().unlock();
    }
  }

  public void route(String routingKey, Map<String, Object> headers, Consumer<Binding> matched) {
    lock.readLock().lock();
    try {
      router.route(routingKey, headers, matched);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether a redeclaration with these attributes is equivalent (else 406 in AMQP). */
  public boolean isEquivalent(
      ExchangeType type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {
    return this.type == type
        && this.durable == durable
        && this.autoDelete == autoDelete
        && this.internal == internal
        && this.arguments.equals(arguments == null ? Map.of() : arguments);
  }
}
