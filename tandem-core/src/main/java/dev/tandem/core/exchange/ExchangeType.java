package dev.tandem.core.exchange;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The exchange types, by the names AMQP clients declare them with. */
public enum ExchangeType {
  DIRECT("direct", DirectRouter::new),
  FANOUT("fanout", FanoutRouter::new),
  TOPIC("topic", TopicRouter::new),
  HEADERS("headers", HeadersRouter::new),
  /**
   * RabbitMQ's delayed-message exchange (the rabbitmq_delayed_message_exchange plugin): a message
   * with a positive {@code x-delay} header is held that long, then routed; it routes as the type
   * its {@link #DELAYED_TYPE} argument names.
   */
  DELAYED_MESSAGE("x-delayed-message", null);

  /** The argument naming the type whose routing an x-delayed-message exchange uses. */
  public static final String DELAYED_TYPE = "x-delayed-type";

  private final String wireName;
  private final Supplier<Router> routers;

  ExchangeType(String wireName, Supplier<Router> routers) {
    this.wireName = wireName;
    this.routers = routers;
  }

  Router newRouter() {
    return routers.get();
  }

  public String wireName() {
    return wireName;
  }

  /**
   * The type whose routing an exchange of this type with these arguments uses: itself, or for
   * x-delayed-message the type its {@code x-delayed-type} names; empty when that argument is
   * missing, not a string, or names no type that routes by itself.
   */
  public Optional<ExchangeType> routingType(Map<String, Object> arguments) {
    if (this != DELAYED_MESSAGE) {
      return Optional.of(this);
    }
    Object named = arguments == null ? null : arguments.get(DELAYED_TYPE);
    if (!(named instanceof String name)) {
      return Optional.empty();
    }
    return fromWireName(name).filter(type -> type != DELAYED_MESSAGE);
  }

  public static Optional<ExchangeType> fromWireName(String name) {
    for (ExchangeType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
