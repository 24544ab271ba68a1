package dev.tandem.server.config;

import static dev.tandem.server.config.RabbitDefinitions.array;
import static dev.tandem.server.config.RabbitDefinitions.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.exchange.Binding;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.vhost.Vhost;
import dev.tandem.core.vhost.VhostException;
import dev.tandem.core.vhost.Vhosts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exchanges, queues and bindings of a RabbitMQ definitions file, declared at every boot as
 * RabbitMQ's {@code load_definitions} declares them: one that exists and agrees is kept with its
 * messages, one that disagrees stops the boot with RabbitMQ's 406 text. Queue entries carry {@code
 * durable}, {@code auto_delete}, {@code arguments} and RabbitMQ's {@code type} ({@code stream}
 * declares a stream); exchange entries {@code type}, {@code durable}, {@code auto_delete}, {@code
 * internal}, {@code arguments}; binding entries {@code source}, {@code destination}, {@code
 * destination_type} (queue or exchange), {@code routing_key}, {@code arguments}. Every entry names
 * its {@code vhost}. Immutable.
 *
 * @param exchanges in file order
 * @param queues in file order
 * @param bindings in file order, declared after every exchange and queue
 */
public record RabbitTopology(
    List<ExchangeEntry> exchanges, List<QueueEntry> queues, List<BindingEntry> bindings) {

  public RabbitTopology {
    exchanges = List.copyOf(exchanges);
    queues = List.copyOf(queues);
    bindings = List.copyOf(bindings);
  }

  /** exchange.declare of one entry. */
  public record ExchangeEntry(
      String vhost,
      String name,
      String type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {}

  /** queue.declare of one entry. */
  public record QueueEntry(String vhost, String name, QueueOptions options) {}

  /** queue.bind or exchange.bind of one entry. */
  public record BindingEntry(String vhost, Binding binding) {}

  static RabbitTopology read(JsonNode root) {
    List<ExchangeEntry> exchanges = new ArrayList<>();
    for (JsonNode entry : array(root, "exchanges")) {
      exchanges.add(
          new ExchangeEntry(
              text(entry, "exchanges", "vhost"),
              text(entry, "exchanges", "name"),
              text(entry, "exchanges", "type"),
              flag(entry, "durable", true),
              flag(entry, "auto_delete", false),
              flag(entry, "internal", false),
              arguments(entry)));
    }
    List<QueueEntry> queues = new ArrayList<>();
    for (JsonNode entry : array(root, "queues")) {
      Map<String, Object> arguments = new LinkedHashMap<>(arguments(entry));
      JsonNode type = entry.get("type");
      if (type != null && type.isTextual() && !type.asText().equals("classic")) {
        arguments.putIfAbsent("x-queue-type", type.asText());
      }
      queues.add(
          new QueueEntry(
              text(entry, "queues", "vhost"),
              text(entry, "queues", "name"),
              new QueueOptions(
                  flag(entry, "durable", true),
                  false,
                  flag(entry, "auto_delete", false),
                  arguments)));
    }
    List<BindingEntry> bindings = new ArrayList<>();
    for (JsonNode entry : array(root, "bindings")) {
      String destinationType = text(entry, "bindings", "destination_type");
      if (!destinationType.equals("queue") && !destinationType.equals("exchange")) {
        throw new IllegalArgumentException(
            "a binding's destination_type is queue or exchange, not '" + destinationType + "'");
      }
      bindings.add(
          new BindingEntry(
              text(entry, "bindings", "vhost"),
              new Binding(
                  text(entry, "bindings", "source"),
                  text(entry, "bindings", "destination"),
                  destinationType.equals("exchange"),
                  text(entry, "bindings", "routing_key"),
                  arguments(entry))));
    }
    return new RabbitTopology(exchanges, queues, bindings);
  }

  /**
   * Declares every exchange, then every queue, then every binding.
   *
   * @throws IllegalArgumentException naming the entry a declaration refused, and why
   */
  public void declareIn(Vhosts vhosts) {
    for (ExchangeEntry x : exchanges) {
      declare(
          vhosts,
          x.vhost(),
          "exchange '" + x.name() + "'",
          vhost ->
              vhost.declareExchange(
                  x.name(),
                  x.type(),
                  false,
                  x.durable(),
                  x.autoDelete(),
                  x.internal(),
                  x.arguments()));
    }
    for (QueueEntry q : queues) {
      declare(
          vhosts,
          q.vhost(),
          "queue '" + q.name() + "'",
          vhost -> {
            if ("stream".equals(q.options().arguments().get("x-queue-type"))) {
              vhost.declareStream(q.name(), false, q.options());
            } else {
              vhost.declareQueue(q.name(), false, q.options(), null);
            }
          });
    }
    for (BindingEntry b : bindings) {
      Binding binding = b.binding();
      declare(
          vhosts,
          b.vhost(),
          "binding of " + binding.destination() + " to exchange '" + binding.source() + "'",
          vhost -> vhost.bind(binding, null));
    }
  }

  private interface Declaration {
    void apply(Vhost vhost);
  }

  private static void declare(Vhosts vhosts, String vhostName, String what, Declaration d) {
    Vhost vhost =
        vhosts
            .vhost(vhostName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        what + " is in vhost '" + vhostName + "', which the file does not define"));
    try {
      d.apply(vhost);
    } catch (VhostException e) {
      throw new IllegalArgumentException(
          what + " in vhost '" + vhostName + "': " + e.getMessage(), e);
    }
  }

  private static boolean flag(JsonNode entry, String field, boolean absent) {
    JsonNode value = entry.get(field);
    return value == null || !value.isBoolean() ? absent : value.asBoolean();
  }

  private static Map<String, Object> arguments(JsonNode entry) {
    return table(entry, "arguments");
  }

  /** A JSON object field as an AMQP-style table; empty when absent. */
  static Map<String, Object> table(JsonNode entry, String field) {
    JsonNode table = entry.get(field);
    if (table == null || !table.isObject()) {
      return Map.of();
    }
    Map<String, Object> arguments = new LinkedHashMap<>();
    table.properties().forEach(f -> putValue(arguments, f.getKey(), f.getValue()));
    return arguments;
  }

  /** A JSON value as the AMQP edge hands field-table values to core. */
  private static Object value(JsonNode json) {
    if (json.isBoolean()) {
      return json.asBoolean();
    } else if (json.isIntegralNumber()) {
      return json.asLong();
    } else if (json.isNumber()) {
      return json.asDouble();
    } else if (json.isArray()) {
      List<Object> list = new ArrayList<>();
      json.forEach(item -> list.add(value(item)));
      return list;
    } else if (json.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      json.properties().forEach(f -> putValue(map, f.getKey(), f.getValue()));
      return map;
    }
    return json.asText();
  }

  private static void putValue(Map<String, Object> map, String key, JsonNode json) {
    if (!json.isNull()) {
      map.put(key, value(json));
    }
  }
}
