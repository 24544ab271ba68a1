package dev.tandem.core.vhost;

import dev.tandem.core.exchange.Binding;
import dev.tandem.core.exchange.Exchange;
import dev.tandem.core.exchange.ExchangeType;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.storage.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Durable AMQP definitions of every vhost in the broker's metadata store. Keys, with each name part
 * URL-safe base64 so that separators never collide:
 *
 * <pre>
 *   vhost/V                          (empty value)
 *   exchange/V/NAME                  [type UTF, durable, autoDelete, internal, arguments]
 *   queue/V/NAME                     [durable, exclusive, autoDelete, arguments]
 *   binding/V/SOURCE/KIND/DEST/KEY/ARGS-HASH   [arguments]
 *   position/V/SOURCE/KIND/DEST/KEY/ARGS-HASH  [int64 next offset per partition]
 * </pre>
 *
 * Only durable entities are stored; positions are those of durable bindings from a topic's exchange
 * (routing out). Thread-safe (the store is).
 */
final class Definitions {
  private final StateStore store;

  Definitions(StateStore store) {
    this.store = store;
  }

  static String part(String name) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  static String unpart(String encoded) {
    return new String(java.util.Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  void saveExchange(String vhost, Exchange exchange) {
    byte[] type = exchange.type().wireName().getBytes(StandardCharsets.UTF_8);
    byte[] args = Arguments.encode(exchange.arguments());
    ByteBuffer value = ByteBuffer.allocate(4 + type.length + 3 + args.length);
    value.putInt(type.length).put(type);
    value
        .put((byte) (exchange.durable() ? 1 : 0))
        .put((byte) (exchange.autoDelete() ? 1 : 0))
        .put((byte) (exchange.internal() ? 1 : 0));
    value.put(args);
    await(store.put("exchange/" + part(vhost) + "/" + part(exchange.name()), value.array()));
  }

  void deleteExchange(String vhost, String name) {
    await(store.remove("exchange/" + part(vhost) + "/" + part(name)));
  }

  Map<String, Exchange> exchanges(String vhost) {
    Map<String, Exchange> result = new LinkedHashMap<>();
    String prefix = "exchange/" + part(vhost) + "/";
    store
        .scan(prefix)
        .forEach(
            (key, bytes) -> {
              ByteBuffer value = ByteBuffer.wrap(bytes);
              byte[] type = new byte[value.getInt()];
              value.get(type);
              boolean durable = value.get() == 1;
              boolean autoDelete = value.get() == 1;
              boolean internal = value.get() == 1;
              byte[] args = new byte[value.remaining()];
              value.get(args);
              String name = unpart(key.substring(prefix.length()));
              ExchangeType exchangeType =
                  ExchangeType.fromWireName(new String(type, StandardCharsets.UTF_8)).orElseThrow();
              result.put(
                  name,
                  new Exchange(
                      name, exchangeType, durable, autoDelete, internal, Arguments.decode(args)));
            });
    return result;
  }

  void saveQueue(String vhost, String name, QueueOptions options) {
    byte[] args = Arguments.encode(options.arguments());
    ByteBuffer value = ByteBuffer.allocate(3 + args.length);
    value
        .put((byte) (options.durable() ? 1 : 0))
        .put((byte) (options.exclusive() ? 1 : 0))
        .put((byte) (options.autoDelete() ? 1 : 0));
    value.put(args);
    await(store.put("queue/" + part(vhost) + "/" + part(name), value.array()));
  }

  void deleteQueue(String vhost, String name) {
    await(store.remove("queue/" + part(vhost) + "/" + part(name)));
  }

  Map<String, QueueOptions> queues(String vhost) {
    Map<String, QueueOptions> result = new LinkedHashMap<>();
    String prefix = "queue/" + part(vhost) + "/";
    store
        .scan(prefix)
        .forEach(
            (key, bytes) -> {
              ByteBuffer value = ByteBuffer.wrap(bytes);
              boolean durable = value.get() == 1;
              boolean exclusive = value.get() == 1;
              boolean autoDelete = value.get() == 1;
              byte[] args = new byte[value.remaining()];
              value.get(args);
              result.put(
                  unpart(key.substring(prefix.length())),
                  new QueueOptions(durable, exclusive, autoDelete, Arguments.decode(args)));
            });
    return result;
  }

  private static String bindingKey(String vhost, Binding binding) {
    return "binding/"
        + part(vhost)
        + "/"
        + part(binding.source())
        + "/"
        + (binding.toExchange() ? "e" : "q")
        + "/"
        + part(binding.destination())
        + "/"
        + part(binding.key())
        + "/"
        + Integer.toHexString(java.util.Arrays.hashCode(Arguments.encode(binding.arguments())));
  }

  void saveBinding(String vhost, Binding binding) {
    await(store.put(bindingKey(vhost, binding), Arguments.encode(binding.arguments())));
  }

  void deleteBinding(String vhost, Binding binding) {
    await(store.remove(bindingKey(vhost, binding)));
  }

  java.util.List<Binding> bindings(String vhost) {
    java.util.List<Binding> result = new java.util.ArrayList<>();
    String prefix = "binding/" + part(vhost) + "/";
    store
        .scan(prefix)
        .forEach(
            (key, bytes) -> {
              String[] parts = key.substring(prefix.length()).split("/", -1);
              result.add(
                  new Binding(
                      unpart(parts[0]),
                      unpart(parts[2]),
                      parts[1].equals("e"),
                      unpart(parts[3]),
                      Arguments.decode(bytes)));
            });
    return result;
  }

  private static String positionsKey(String vhost, Binding binding) {
    return "position/" + bindingKey(vhost, binding).substring("binding/".length());
  }

  /** Saves where a binding from a topic's exchange has routed up to, per partition. */
  CompletableFuture<Void> savePositions(String vhost, Binding binding, long[] positions) {
    ByteBuffer value = ByteBuffer.allocate(8 * positions.length);
    for (long position : positions) {
      value.putLong(position);
    }
    return store.put(positionsKey(vhost, binding), value.array());
  }

  /** The positions a binding saved, or null. */
  long[] positions(String vhost, Binding binding) {
    byte[] saved = store.get(positionsKey(vhost, binding));
    if (saved == null) {
      return null;
    }
    ByteBuffer value = ByteBuffer.wrap(saved);
    long[] positions = new long[saved.length / 8];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = value.getLong();
    }
    return positions;
  }

  void deletePositions(String vhost, Binding binding) {
    store.remove(positionsKey(vhost, binding));
  }

  private static void await(CompletableFuture<Void> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while saving a definition", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not save a definition", e.getCause());
    }
  }
}
