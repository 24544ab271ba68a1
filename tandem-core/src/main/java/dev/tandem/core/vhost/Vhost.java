package dev.tandem.core.vhost;

import static dev.tandem.core.vhost.VhostException.Reason.ACCESS_REFUSED;
import static dev.tandem.core.vhost.VhostException.Reason.COMMAND_INVALID;
import static dev.tandem.core.vhost.VhostException.Reason.NOT_FOUND;
import static dev.tandem.core.vhost.VhostException.Reason.PRECONDITION_FAILED;
import static dev.tandem.core.vhost.VhostException.Reason.RESOURCE_LOCKED;

import dev.tandem.core.delay.DelayHeader;
import dev.tandem.core.delay.DelayedMessages;
import dev.tandem.core.exchange.Binding;
import dev.tandem.core.exchange.Exchange;
import dev.tandem.core.exchange.ExchangeType;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.MessageRecord;
import dev.tandem.core.queue.MessageSource;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.queue.QueueConsumer;
import dev.tandem.core.queue.QueueFactory;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.stream.RecordMapping;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.log.LogScheduler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One AMQP virtual host: its exchanges, queues and bindings, and publishing through them. The
 * default exchange "" and the {@code amq.*} exchanges always exist.
 *
 * <p>Thread-safe: lookups and publishing are lock-free; declarations and deletions serialise on the
 * vhost.
 */
public final class Vhost {
  private final String name;
  private final Definitions definitions;
  private final QueueFactory queueStore;
  private final Map<String, Exchange> exchanges = new ConcurrentHashMap<>();
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final Map<String, String> exclusiveOwners = new ConcurrentHashMap<>();
  private final DeadLetters deadLetters;
  private final Topics topics;
  private final Supplier<RecordMapping> mapping;
  private final Streams streams;
  private final BindingLoops loops =
      new BindingLoops(exchanges, entity -> stream(entity).isPresent());
  private final DelayedDelivery delayed;
  private final Policies policies;

  Vhost(
      String name,
      Definitions definitions,
      QueueFactory queueStore,
      Topics topics,
      LogScheduler scheduler,
      Supplier<DeadLetterRewriter> rewriter,
      Supplier<RecordMapping> mapping,
      Executor streamExecutor,
      DelayedMessages delayedMessages,
      Policies policies) {
    this.name = name;
    this.policies = policies;
    this.definitions = definitions;
    this.queueStore = queueStore;
    this.topics = topics;
    this.mapping = mapping;
    this.streams = new Streams(this, topics, definitions, mapping, streamExecutor);
    this.deadLetters = new DeadLetters(this, scheduler, rewriter);
    this.delayed = new DelayedDelivery(this, delayedMessages, queues::get);
  }

  /** Loads durable definitions, drops what did not survive, and declares the standard exchanges. */
  void load() {
    exchanges.putAll(definitions.exchanges(name));
    for (Map.Entry<String, QueueOptions> entry : definitions.queues(name).entrySet()) {
      String queue = entry.getKey();
      QueueOptions options = entry.getValue();
      queues.put(
          queue,
          queueStore.open(name, queue, options, policies.arguments(queue, options), deadLetters));
    }
    queueStore.deleteOthers(name, queues.keySet());
    if (name.equals(Vhosts.DEFAULT)) {
      topics.observe(streams);
    }
    for (Binding binding : definitions.bindings(name)) {
      Exchange source = exchanges.get(binding.source());
      boolean destinationExists =
          binding.toExchange()
              ? exchanges.containsKey(binding.destination())
              : queues.containsKey(binding.destination())
                  || stream(binding.destination()).isPresent();
      if (source != null && destinationExists) {
        source.bind(binding);
        if (stream(source.name()).isPresent()) {
          streams.follow(binding, true);
        }
      } else {
        definitions.deleteBinding(name, binding);
        definitions.deletePositions(name, binding);
      }
    }
    standard("amq.direct", ExchangeType.DIRECT);
    standard("amq.fanout", ExchangeType.FANOUT);
    standard("amq.topic", ExchangeType.TOPIC);
    standard("amq.headers", ExchangeType.HEADERS);
    standard("amq.match", ExchangeType.HEADERS);
  }

  private void standard(String exchange, ExchangeType type) {
    exchanges.computeIfAbsent(exchange, n -> new Exchange(n, type, true, false, false, Map.of()));
  }

  public String name() {
    return name;
  }

  public Exchange exchange(String exchangeName) {
    Exchange exchange = exchanges.get(exchangeName);
    if (exchange == null && !exchangeName.isEmpty()) {
      throw new VhostException(
          NOT_FOUND, "no exchange '" + exchangeName + "' in vhost '" + name + "'");
    }
    return exchange;
  }

  public Collection<Exchange> exchanges() {
    return List.copyOf(exchanges.values());
  }

  /**
   * The stream of that name: every topic is a stream of the default vhost (topics have no vhost in
   * Kafka's model, so other vhosts have none).
   */
  public Optional<Topic> stream(String streamName) {
    return name.equals(Vhosts.DEFAULT) ? streams.stream(streamName) : Optional.empty();
  }

  /**
   * queue.declare of {@code x-queue-type: stream}: the topic of that name, created if it does not
   * exist (one partition unless {@code x-stream-partitions} says more), or an existing one when the
   * arguments the declaration carries agree with it. A classic queue or another exchange holding
   * the name is 406, as an inequivalent declaration.
   */
  public synchronized Topic declareStream(
      String streamName, boolean passive, QueueOptions options) {
    Optional<Topic> existing = stream(streamName);
    if (existing.isPresent() && !passive) {
      StreamArguments.checkEquivalent(existing.get(), options);
    }
    if (existing.isPresent() || passive) {
      return existing.orElseThrow(
          () ->
              new VhostException(
                  NOT_FOUND, "no queue '" + streamName + "' in vhost '" + name + "'"));
    }
    if (!name.equals(Vhosts.DEFAULT)) {
      throw new VhostException(
          PRECONDITION_FAILED, "streams live in vhost '/' only (they are the broker's topics)");
    }
    if (queues.containsKey(streamName)) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "inequivalent arg 'x-queue-type' for queue '"
              + streamName
              + "' in vhost '/': received 'stream' but current is 'classic'");
    }
    String holder = holderOf(streamName);
    if (holder != null) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "cannot declare stream '"
              + streamName
              + "': a stream's name is also its exchange's, and the name is taken by "
              + holder);
    }
    return streams.create(streamName, options);
  }

  /**
   * What holds a name a new topic wants, other than a topic itself: an exchange (a topic is also an
   * exchange) or a classic queue (a topic is also a stream queue); null when it is free.
   */
  String holderOf(String entity) {
    if (!name.equals(Vhosts.DEFAULT) || stream(entity).isPresent()) {
      return null;
    }
    Exchange exchange = exchanges.get(entity);
    if (exchange != null) {
      return "an exchange of type " + exchange.type().wireName();
    }
    return queues.containsKey(entity) ? "a classic queue" : null;
  }

  /** A topic came into being: it is also a topic exchange of the same name. */
  void addStreamExchange(String topic) {
    exchanges.put(topic, new Exchange(topic, ExchangeType.TOPIC, true, false, false, Map.of()));
  }

  /** A topic was deleted: its exchange goes, with every binding from it and to it. */
  synchronized void onStreamDeleted(String topic) {
    if (stream(topic).isPresent()) {
      return;
    }
    Exchange exchange = exchanges.remove(topic);
    if (exchange != null) {
      exchange.bindings().forEach(this::forgetBinding);
    }
    for (Exchange other : List.copyOf(exchanges.values())) {
      forgetAll(other, other.unbindAll(topic, false));
    }
  }

  /** Whether the name is a stream's (a topic's) rather than a classic queue's. */
  public boolean isStream(String queueName) {
    return !queues.containsKey(queueName) && stream(queueName).isPresent();
  }

  /** How messages cross into and out of topics. */
  public RecordMapping recordMapping() {
    return mapping.get();
  }

  public Collection<Queue> queues() {
    return List.copyOf(queues.values());
  }

  /** exchange.declare (AMQP 0-9-1 §1.6.2.1). */
  public synchronized Exchange declareExchange(
      String exchangeName,
      String type,
      boolean passive,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments) {
    if (exchangeName.isEmpty()) {
      throw new VhostException(ACCESS_REFUSED, "operation not permitted on the default exchange");
    }
    Exchange existing = exchanges.get(exchangeName);
    if (existing != null && stream(exchangeName).isPresent() && !passive) {
      if (!ExchangeType.TOPIC.wireName().equals(type)) {
        throw new VhostException(
            PRECONDITION_FAILED,
            "inequivalent arg 'type' for exchange '"
                + exchangeName
                + "' in vhost '/': it is the exchange of stream '"
                + exchangeName
                + "', of type 'topic'");
      }
      return existing;
    }
    if (passive) {
      if (existing == null) {
        throw new VhostException(
            NOT_FOUND, "no exchange '" + exchangeName + "' in vhost '" + name + "'");
      }
      return existing;
    }
    ExchangeType exchangeType =
        ExchangeType.fromWireName(type)
            .orElseThrow(
                () -> new VhostException(COMMAND_INVALID, "invalid exchange type '" + type + "'"));
    if (exchangeName.startsWith("amq.") && existing == null) {
      throw new VhostException(
          ACCESS_REFUSED, "exchange name '" + exchangeName + "' contains reserved prefix 'amq.*'");
    }
    Map<String, Object> args = Arguments.normalize(arguments);
    DelayedDelivery.checkDeclaration(exchangeType, args);
    if (existing != null) {
      if (!existing.isEquivalent(exchangeType, durable, autoDelete, internal, args)) {
        throw new VhostException(
            PRECONDITION_FAILED,
            "inequivalent arg for exchange '" + exchangeName + "' in vhost '" + name + "'");
      }
      return existing;
    }
    Object alternate = args.get("alternate-exchange");
    if (alternate != null && !(alternate instanceof String)) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "invalid type for arg 'alternate-exchange' in exchange '"
              + exchangeName
              + "' in vhost '"
              + name
              + "'");
    }
    Exchange exchange =
        new Exchange(exchangeName, exchangeType, durable, autoDelete, internal, args);
    if (durable) {
      definitions.saveExchange(name, exchange);
    }
    exchanges.put(exchangeName, exchange);
    return exchange;
  }

  /**
   * exchange.delete: refused for the default and amq.* exchanges; if-unused checks bindings from
   * it.
   */
  public synchronized void deleteExchange(String exchangeName, boolean ifUnused) {
    if (exchangeName.isEmpty() || exchangeName.startsWith("amq.")) {
      throw new VhostException(ACCESS_REFUSED, "cannot delete exchange '" + exchangeName + "'");
    }
    Exchange exchange = exchanges.get(exchangeName);
    if (exchange == null) {
      return;
    }
    if (stream(exchangeName).isPresent()) {
      throw new VhostException(
          ACCESS_REFUSED,
          "cannot delete exchange '"
              + exchangeName
              + "': it is the exchange of stream '"
              + exchangeName
              + "'; delete the stream");
    }
    if (ifUnused && exchange.hasBindings()) {
      throw new VhostException(
          PRECONDITION_FAILED, "exchange '" + exchangeName + "' in vhost '" + name + "' in use");
    }
    exchanges.remove(exchangeName);
    for (Binding binding : exchange.bindings()) {
      forgetBinding(binding);
    }
    for (Exchange other : List.copyOf(exchanges.values())) {
      forgetAll(other, other.unbindAll(exchangeName, true));
    }
    if (exchange.durable()) {
      definitions.deleteExchange(name, exchangeName);
    }
  }

  /**
   * queue.declare (§1.7.2.1). A null owner means the declaring connection has no identity; an
   * exclusive queue belongs to {@code owner}.
   */
  public synchronized Queue declareQueue(
      String queueName, boolean passive, QueueOptions options, String owner) {
    Queue existing = queues.get(queueName);
    if (existing != null) {
      checkAccess(existing, owner);
      existing.touch();
    } else if (stream(queueName).isPresent()) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "inequivalent arg 'x-queue-type' for queue '"
              + queueName
              + "' in vhost '/': received '"
              + options.arguments().getOrDefault("x-queue-type", "classic")
              + "' but current is 'stream'");
    }
    if (passive) {
      if (existing == null) {
        throw new VhostException(NOT_FOUND, "no queue '" + queueName + "' in vhost '" + name + "'");
      }
      return existing;
    }
    if (queueName.startsWith("amq.") && existing == null && !queueName.startsWith("amq.gen-")) {
      throw new VhostException(
          ACCESS_REFUSED, "queue name '" + queueName + "' contains reserved prefix 'amq.*'");
    }
    QueueOptions normalized =
        new QueueOptions(
            options.durable() && !options.exclusive(),
            options.exclusive(),
            options.autoDelete(),
            Arguments.normalize(options.arguments()));
    if (existing != null) {
      QueueOptions have = existing.options();
      QueueArguments.checkSameProperties(have, normalized, queueName, name);
      String argument = QueueArguments.inequivalent(have.arguments(), normalized.arguments());
      if (argument != null) {
        throw new VhostException(
            PRECONDITION_FAILED,
            "inequivalent arg '"
                + argument
                + "' for queue '"
                + queueName
                + "' in vhost '"
                + name
                + "'");
      }
      return existing;
    }
    QueueArguments.validate(queueName, name, normalized);
    if (normalized.durable() && !normalized.exclusive()) {
      definitions.saveQueue(name, queueName, normalized);
    }
    Queue queue =
        queueStore.create(
            name, queueName, normalized, policies.arguments(queueName, normalized), deadLetters);
    queues.put(queueName, queue);
    if (normalized.exclusive() && owner != null) {
      exclusiveOwners.put(queueName, owner);
    }
    return queue;
  }

  /** The queue, checking that {@code owner} may use it. */
  public Queue queue(String queueName, String owner) {
    Queue queue = queues.get(queueName);
    if (queue == null) {
      throw new VhostException(NOT_FOUND, "no queue '" + queueName + "' in vhost '" + name + "'");
    }
    checkAccess(queue, owner);
    return queue;
  }

  private void checkAccess(Queue queue, String owner) {
    String holder = exclusiveOwners.get(queue.name());
    if (holder != null && !holder.equals(owner)) {
      throw new VhostException(
          RESOURCE_LOCKED,
          "cannot obtain exclusive access to locked queue '"
              + queue.name()
              + "' in vhost '"
              + name
              + "'");
    }
  }

  /** queue.delete (§1.7.2.9); returns the number of messages deleted. */
  public synchronized long deleteQueue(
      String queueName, boolean ifUnused, boolean ifEmpty, String owner) {
    Queue queue = queues.get(queueName);
    if (queue == null) {
      return deleteStream(queueName);
    }
    checkAccess(queue, owner);
    if (ifUnused && queue.consumerCount() > 0) {
      throw new VhostException(
          PRECONDITION_FAILED, "queue '" + queueName + "' in vhost '" + name + "' in use");
    }
    if (ifEmpty && queue.messageCount() > 0) {
      throw new VhostException(
          PRECONDITION_FAILED, "queue '" + queueName + "' in vhost '" + name + "' is not empty");
    }
    long count = queue.messageCount();
    removeQueue(queue);
    return count;
  }

  /** queue.delete of a stream deletes its topic; returns the records it held. */
  private long deleteStream(String streamName) {
    Topic topic = stream(streamName).orElse(null);
    if (topic == null) {
      return 0;
    }
    long records = topic.records();
    topics.delete(streamName);
    onStreamDeleted(streamName);
    return records;
  }

  private void removeQueue(Queue queue) {
    queues.remove(queue.name());
    exclusiveOwners.remove(queue.name());
    for (Exchange exchange : List.copyOf(exchanges.values())) {
      forgetAll(exchange, exchange.unbindAll(queue.name(), false));
    }
    if (queue.options().durable() && !queue.options().exclusive()) {
      definitions.deleteQueue(name, queue.name());
    }
    for (QueueConsumer consumer : queueStore.delete(queue)) {
      consumer.onQueueDeleted();
    }
  }

  /** Deletes the exclusive queues of a connection that closed. */
  public synchronized void onConnectionClosed(String owner) {
    for (Map.Entry<String, String> entry : List.copyOf(exclusiveOwners.entrySet())) {
      Queue queue = queues.get(entry.getKey());
      if (entry.getValue().equals(owner) && queue != null) {
        removeQueue(queue);
      }
    }
  }

  /** Deletes a queue whose x-expires passed while it was unused (housekeeping). */
  synchronized void maybeExpire(Queue queue, long nowMillis) {
    if (queues.get(queue.name()) == queue && queue.isUnusedSince(nowMillis)) {
      removeQueue(queue);
    }
  }

  /** Stops routing out of topics (the broker is closing). */
  void close() {
    streams.close();
  }

  /** Dead letters dropped: routed nowhere, to a missing exchange, or as cycles. */
  public long deadLettersDropped() {
    return deadLetters.dropped();
  }

  /** Deletes an auto-delete queue whose last consumer went away. */
  public synchronized void onConsumerGone(MessageSource source) {
    if (source instanceof Queue queue
        && queue.options().autoDelete()
        && queue.consumerCount() == 0
        && queues.get(queue.name()) == queue) {
      removeQueue(queue);
    }
  }

  public synchronized void bind(Binding binding, String owner) {
    Exchange source = exchange(binding.source());
    if (source == null) {
      throw new VhostException(ACCESS_REFUSED, "cannot bind to the default exchange");
    }
    boolean durable = source.durable();
    if (binding.toExchange()) {
      Exchange destination = exchange(binding.destination());
      if (destination == null) {
        throw new VhostException(ACCESS_REFUSED, "cannot bind the default exchange");
      }
      durable &= destination.durable();
    } else if (!queues.containsKey(binding.destination())
        && stream(binding.destination()).isPresent()) {
      loops.check(binding);
    } else {
      Queue queue = queue(binding.destination(), owner);
      durable &= queue.options().durable() && !queue.options().exclusive();
    }
    Binding normalized =
        new Binding(
            binding.source(),
            binding.destination(),
            binding.toExchange(),
            binding.key(),
            Arguments.normalize(binding.arguments()));
    boolean fromStream = stream(source.name()).isPresent();
    if (binding.toExchange()) {
      loops.check(binding);
    }
    if (source.bind(normalized)) {
      if (durable) {
        definitions.saveBinding(name, normalized);
      }
      if (fromStream) {
        try {
          streams.follow(normalized, durable);
        } catch (RuntimeException e) {
          source.unbind(normalized);
          forgetBinding(normalized);
          throw e;
        }
      }
    }
  }

  public synchronized void unbind(Binding binding, String owner) {
    Exchange source = exchange(binding.source());
    if (source == null) {
      throw new VhostException(ACCESS_REFUSED, "cannot unbind from the default exchange");
    }
    if (binding.toExchange()) {
      exchange(binding.destination());
    } else if (queues.containsKey(binding.destination())
        || stream(binding.destination()).isEmpty()) {
      queue(binding.destination(), owner);
    }
    Binding normalized =
        new Binding(
            binding.source(),
            binding.destination(),
            binding.toExchange(),
            binding.key(),
            Arguments.normalize(binding.arguments()));
    if (source.unbind(normalized)) {
      forgetBinding(normalized);
      maybeAutoDelete(source);
    }
  }

  private void forgetAll(Exchange source, List<Binding> removed) {
    if (!removed.isEmpty()) {
      removed.forEach(this::forgetBinding);
      maybeAutoDelete(source);
    }
  }

  /** Deletes an auto-delete exchange that no longer routes anywhere (its last binding went). */
  private void maybeAutoDelete(Exchange exchange) {
    if (exchange.autoDelete()
        && !exchange.hasBindings()
        && exchanges.get(exchange.name()) == exchange) {
      deleteExchange(exchange.name(), false);
    }
  }

  private void forgetBinding(Binding binding) {
    definitions.deleteBinding(name, binding);
    streams.unfollow(binding);
  }

  /**
   * Routes a message to every matching queue and stream (following exchange-to-exchange bindings
   * and alternate exchanges, each exchange once), enqueues it and appends it. A publish to a
   * topic's exchange is appended to the topic; its bindings route it out from there. A publish to
   * an x-delayed-message exchange whose x-delay asks for a delay is held instead, and routed when
   * due ({@link DelayedDelivery}).
   *
   * @return the queues and streams it reached, and a future that completes when every copy is safe
   */
  public Routed publish(String exchangeName, Message message) {
    checkPublishable(exchangeName);
    Routed held = delayed.maybeHold(exchangeName, message);
    if (held != null) {
      return held;
    }
    Targets targets = targets(exchangeName, message);
    if (targets.isEmpty()) {
      return new Routed(List.of(), List.of(), CompletableFuture.completedFuture(null));
    }
    return new Routed(
        List.copyOf(targets.queues),
        targets.streams().isEmpty()
            ? List.of()
            : targets.streams().stream().map(Topic::name).toList(),
        store(targets, message));
  }

  /** Enqueues and appends a message to its targets; completes when every copy is safe. */
  CompletableFuture<Void> store(Targets targets, Message message) {
    List<CompletableFuture<Void>> stored = new ArrayList<>(targets.size());
    MessageRecord.Shared encoded = targets.queues.size() > 1 ? new MessageRecord.Shared() : null;
    for (Queue queue : targets.queues) {
      stored.add(queue.publish(message, encoded));
    }
    for (Topic stream : targets.streams()) {
      stored.add(streams.append(stream, message));
    }
    return stored.size() == 1
        ? stored.get(0)
        : CompletableFuture.allOf(stored.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * Delivers a record routed out of a topic through {@code binding}: into its queue or stream, or
   * through its exchange. A record with an {@code x-delay} header is held that long before it
   * enters a queue. A destination that is gone drops it.
   */
  CompletableFuture<Void> routeOut(Binding binding, Message message) {
    if (binding.toExchange()) {
      return store(targets(binding.destination(), message), message);
    }
    Queue queue = queues.get(binding.destination());
    if (queue != null) {
      long delay = DelayHeader.millis(message.headers());
      return delay > 0
          ? delayed.holdForQueue(queue, message, System.currentTimeMillis() + delay)
          : queue.publish(message);
    }
    Optional<Topic> stream = stream(binding.destination());
    return stream.isPresent()
        ? streams.append(stream.get(), message)
        : CompletableFuture.completedFuture(null);
  }

  /**
   * The queues and streams a message published to {@code exchangeName} reaches ("" is the default
   * exchange); none if the exchange does not exist. Internal exchanges route too (dead-lettering
   * uses them). A message is routed with its CC and BCC keys as well ({@link SenderSelected}).
   */
  Targets targets(String exchangeName, Message message) {
    Targets targets = new Targets();
    Exchange exchange = exchangeName.isEmpty() ? null : exchanges.get(exchangeName);
    for (String key : SenderSelected.routingKeys(message)) {
      if (exchangeName.isEmpty()) {
        addQueueOrStream(key, targets);
      } else if (exchange != null) {
        route(exchange, key, message, targets, new LinkedHashSet<>());
      }
    }
    return targets;
  }

  private void addQueueOrStream(String destination, Targets targets) {
    Queue queue = queues.get(destination);
    if (queue != null) {
      targets.queues.add(queue);
    } else {
      stream(destination).ifPresent(targets::add);
    }
  }

  /**
   * The exchange a publish goes to, checked as publishing checks it: null for the default exchange;
   * NOT_FOUND if it does not exist; ACCESS_REFUSED if it is internal.
   */
  public Exchange checkPublishable(String exchangeName) {
    Exchange exchange = exchange(exchangeName);
    if (exchange != null && exchange.internal()) {
      throw new VhostException(
          ACCESS_REFUSED, "cannot publish to internal exchange '" + exchangeName + "'");
    }
    return exchange;
  }

  private void route(
      Exchange exchange, String key, Message message, Targets targets, Set<String> visited) {
    if (!visited.add(exchange.name())) {
      return;
    }
    Optional<Topic> topic = stream(exchange.name());
    if (topic.isPresent()) {
      targets.add(topic.get());
      return;
    }
    int before = targets.size();
    boolean[] matchedAny = {false};
    exchange.route(
        key,
        message.headers(),
        binding -> {
          matchedAny[0] = true;
          if (binding.toExchange()) {
            Exchange next = exchanges.get(binding.destination());
            if (next != null) {
              route(next, key, message, targets, visited);
            }
          } else {
            addQueueOrStream(binding.destination(), targets);
          }
        });
    String alternate = exchange.alternateExchange();
    if (alternate == null) {
      alternate = policies.alternateExchange(exchange.name());
    }
    if (targets.size() == before && !matchedAny[0] && alternate != null) {
      Exchange next = exchanges.get(alternate);
      if (next != null) {
        route(next, key, message, targets, visited);
      }
    }
  }

  /**
   * Holds a message for a queue until {@code dueAt} (epoch milliseconds), durably if it is
   * persistent, then enqueues it there; dropped if the queue is gone by then. For a record with a
   * delay routed into a queue.
   *
   * @return completes when the message is held as safely as a publisher confirm requires
   */
  public CompletableFuture<Void> holdForQueue(Queue queue, Message message, long dueAt) {
    return delayed.holdForQueue(queue, message, dueAt);
  }

  /** Starts releasing the delayed messages held; call after {@link #load()}. */
  void startReleasing() {
    delayed.start();
  }

  /**
   * The outcome of a publish.
   *
   * @param queues the queues the message reached
   * @param streams the streams (topics) it was appended to
   * @param stored completes when every copy is as safe as a confirm requires (a held message: once
   *     it is held so)
   * @param held whether a delayed-message exchange holds it, to route it when it is due
   */
  public record Routed(
      List<Queue> queues, List<String> streams, CompletableFuture<Void> stored, boolean held) {
    /** A publish routed at once. */
    public Routed(List<Queue> queues, List<String> streams, CompletableFuture<Void> stored) {
      this(queues, streams, stored, false);
    }

    /** Whether it went nowhere: nothing reached and not held (a mandatory publish returns). */
    public boolean unroutable() {
      return queues.isEmpty() && streams.isEmpty() && !held;
    }
  }
}
