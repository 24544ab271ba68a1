package dev.tandem.server.lifecycle;

import dev.tandem.amqp.AmqpMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The AMQP listener's counters as Prometheus meters ({@code tandem_amqp_*_total}): connections
 * opened, connection and channel errors, refused logins, heartbeat timeouts, messages published,
 * delivered and returned. They read {@link AmqpMetrics} when scraped. Stateless.
 */
final class AmqpMeters {
  private AmqpMeters() {}

  static void bind(AmqpMetrics metrics, MeterRegistry registry) {
    counter(registry, metrics, "connections.opened", AmqpMetrics::connectionsOpened);
    counter(registry, metrics, "connection.errors", AmqpMetrics::connectionErrors);
    counter(registry, metrics, "channel.errors", AmqpMetrics::channelErrors);
    counter(registry, metrics, "authentication.failures", AmqpMetrics::authenticationFailures);
    counter(registry, metrics, "heartbeat.timeouts", AmqpMetrics::heartbeatTimeouts);
    counter(registry, metrics, "messages.published", AmqpMetrics::published);
    counter(registry, metrics, "messages.delivered", AmqpMetrics::delivered);
    counter(registry, metrics, "messages.returned", AmqpMetrics::returned);
    counter(registry, metrics, "publishers.held", AmqpMetrics::publishersHeld);
    counter(registry, metrics, "connections.blocked.by.alarm", AmqpMetrics::blockedByAlarm);
  }

  private static void counter(
      MeterRegistry registry, AmqpMetrics metrics, String name, ToDoubleFunction<AmqpMetrics> f) {
    FunctionCounter.builder("tandem.amqp." + name, metrics, f).register(registry);
  }
}
