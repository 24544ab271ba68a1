package dev.tandem.core.exchange;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** The exchange types, by the names AMQP clients declare them with. */
public enum ExchangeType {
  DIRECT(DirectRouter::new),
  FANOUT(FanoutRouter::new),
  TOPIC(TopicRouter::new),
  HEADERS(HeadersRouter::new);

  private final Supplier<Router> routers;

  ExchangeType(Supplier<Router> routers) {
    this.routers = routers;
  }

  Router newRouter() {
    return routers.get();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ExchangeType> fromWireName(String name) {
    for (ExchangeType type : values()) {
      if (type.wireName().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
