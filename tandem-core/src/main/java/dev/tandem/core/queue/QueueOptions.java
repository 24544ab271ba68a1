package dev.tandem.core.queue;

import dev.tandem.core.exchange.ArgumentTable;
import java.util.Map;

/**
 * How a queue was declared. Immutable.
 *
 * @param durable survives a restart, with its persistent messages
 * @param exclusive owned by one connection; deleted when it closes
 * @param autoDelete deleted when its last consumer goes
 * @param arguments the x-arguments it was declared with
 */
public record QueueOptions(
    boolean durable, boolean exclusive, boolean autoDelete, Map<String, Object> arguments) {
  public QueueOptions {
    arguments = ArgumentTable.copyOf(arguments);
  }
}
