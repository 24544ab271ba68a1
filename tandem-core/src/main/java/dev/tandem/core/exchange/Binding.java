package dev.tandem.core.exchange;

import java.util.Map;

/**
 * A binding from an exchange to a queue or another exchange: the source routes to the destination
 * what the binding key (and, for headers exchanges, the arguments) matches. Immutable.
 *
 * @param source the exchange the binding routes from
 * @param destination the queue or exchange it routes to
 * @param toExchange whether the destination is an exchange (exchange-to-exchange binding)
 * @param key the binding key
 * @param arguments binding arguments, e.g. x-match and header values for headers exchanges
 */
public record Binding(
    String source,
    String destination,
    boolean toExchange,
    String key,
    Map<String, Object> arguments) {
  public Binding {
    arguments = ArgumentTable.copyOf(arguments);
  }
}
