package dev.tandem.server.lifecycle;

import dev.tandem.amqp.AmqpProtocol;
import dev.tandem.amqp.AmqpSettings;
import dev.tandem.core.Node;
import dev.tandem.core.alarm.DiskAlarm;
import dev.tandem.core.alarm.MemoryAlarm;
import dev.tandem.core.topic.Topics;
import dev.tandem.core.user.Users;
import dev.tandem.core.vhost.Policies;
import dev.tandem.kafka.KafkaProtocol;
import dev.tandem.kafka.api.KafkaNode;
import dev.tandem.server.config.BrokerConfig;
import dev.tandem.server.config.RabbitDefinitions;
import dev.tandem.server.config.RabbitTopology;
import dev.tandem.server.config.Setting;
import dev.tandem.server.http.HttpChannelInitializer;
import dev.tandem.server.http.HttpRouter;
import dev.tandem.server.listener.EventLoops;
import dev.tandem.server.listener.Listener;
import dev.tandem.server.listener.NettyListener;
import dev.tandem.server.listener.Protocol;
import dev.tandem.storage.LogDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running broker: owns its data directory, meter registry, event loops and listeners, and the
 * order they start and stop in.
 *
 * <p>{@link #start()}: check the bind address, open and lock the data directory, start every
 * listener while the JVM meters bind on a pool thread (they cost as much as the rest of start-up);
 * if a step fails, undo the ones before it. {@link #stop()}: close the listeners (newest first),
 * the event loops and the meters, then the data directory, which flushes and writes its
 * clean-shutdown marker.
 *
 * <p>Thread-safe: {@code start} and {@code stop} are serialized, so a stop that arrives (from the
 * shutdown hook) while the broker is starting waits for the start to finish, then undoes it.
 */
public final class Broker {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

  private enum State {
    NEW,
    RUNNING,
    FAILED,
    STOPPED
  }

  private final BrokerConfig config;
  private final Path dataDir;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<Listener> listeners = new ArrayList<>();
  private final Map<Protocol, InetSocketAddress> bound = new EnumMap<>(Protocol.class);
  private State state = State.NEW;
  private boolean newDataDir;

  /** The node id Kafka clients see (Kafka's node.id); one broker, so a constant. */
  private static final int KAFKA_NODE_ID = 1;

  private LogDirectory storage;
  private Node node;
  private volatile int boundKafkaPort;
  private PrometheusMeterRegistry registry;
  private CompletableFuture<JvmMeters> jvmMeters;
  private EventLoops loops;

  public Broker(BrokerConfig config) {
    this.config = config;
    this.dataDir = config.dataDir().toAbsolutePath().normalize();
  }

  /**
   * Starts the broker, or leaves nothing behind.
   *
   * @throws StartupException with a one-line message naming the setting at fault
   */
  public synchronized void start() throws StartupException {
    if (state != State.NEW) {
      throw new IllegalStateException("broker is " + state);
    }
    state = State.FAILED;
    InetSocketAddress anyPort = bindAddress();
    newDataDir = DataDirectory.isNew(dataDir);
    storage = DataDirectory.open(dataDir);
    try {
      Optional<RabbitDefinitions> definitions = readDefinitions();
      node = openNode(definitions.map(RabbitDefinitions::policies).orElse(Map.of()));
      node.diskAlarm().limit(config.diskFreeLimit());
      node.memoryAlarm().watermark(config.memoryHighWatermark());
      Users users = definitions.isEmpty() ? Users.defaults() : importDefinitions(definitions.get());
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Gauge.builder("tandem.disk.free.bytes", node.diskAlarm(), DiskAlarm::free).register(registry);
      Gauge.builder("tandem.disk.alarm", node.diskAlarm(), alarm -> alarm.raised() ? 1 : 0)
          .register(registry);
      Gauge.builder("tandem.memory.used.after.gc.bytes", node.memoryAlarm(), MemoryAlarm::used)
          .register(registry);
      Gauge.builder("tandem.memory.alarm", node.memoryAlarm(), alarm -> alarm.raised() ? 1 : 0)
          .register(registry);
      PrometheusMeterRegistry meters = registry;
      jvmMeters = CompletableFuture.supplyAsync(() -> new JvmMeters(meters));
      loops = new EventLoops();
      for (Listener listener : createListeners(anyPort, users)) {
        startListener(listener, anyPort);
      }
      jvmMeters.join();
    } catch (StartupException | RuntimeException e) {
      closeEverything();
      throw e;
    }
    state = State.RUNNING;
  }

  private Node openNode(Map<String, Policies> policies) throws StartupException {
    try {
      return Node.open(
          storage,
          new Topics.TopicDefaults(
              config.logConfig(), config.numPartitions(), config.autoCreateTopics()),
          config.groupConfig(),
          policies);
    } catch (IOException e) {
      throw new StartupException(
          Setting.DATA_DIR.key()
              + ": cannot load state from "
              + dataDir
              + ": "
              + StartupException.reason(e),
          e);
    } catch (RuntimeException e) {
      throw new StartupException(
          Setting.DATA_DIR.key() + ": cannot load state from " + dataDir + ": " + e.getMessage(),
          e);
    }
  }

  /** The definitions file, if one is set; read before the node opens, for its policies. */
  private Optional<RabbitDefinitions> readDefinitions() throws StartupException {
    Optional<Path> file = config.loadDefinitions();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RabbitDefinitions.read(file.get()));
    } catch (IOException | IllegalArgumentException e) {
      throw new StartupException(
          Setting.LOAD_DEFINITIONS.key() + ": " + file.get() + ": " + e.getMessage(), e);
    }
  }

  /** Creates the definitions' vhosts, declares their topology and returns their users. */
  private Users importDefinitions(RabbitDefinitions definitions) throws StartupException {
    Path file = config.loadDefinitions().orElseThrow();
    definitions.vhosts().forEach(node.vhosts()::create);
    RabbitTopology topology = definitions.topology();
    try {
      topology.declareIn(node.vhosts());
    } catch (IllegalArgumentException e) {
      throw new StartupException(
          Setting.LOAD_DEFINITIONS.key() + ": " + file + ": " + e.getMessage(), e);
    }
    LOG.info(
        "{}: imported users, vhosts, permissions, {} exchanges, {} queues, {} bindings, {} policies",
        file,
        topology.exchanges().size(),
        topology.queues().size(),
        topology.bindings().size(),
        definitions.policies().values().stream().mapToInt(Policies::size).sum());
    definitions
        .policies()
        .forEach(
            (vhost, policies) ->
                policies.forEach(
                    policy -> {
                      if (!policy.ignoredKeys().isEmpty()) {
                        LOG.warn(
                            "{}: policy '{}' in vhost '{}': no effect here for {}",
                            file,
                            policy.name(),
                            vhost,
                            policy.ignoredKeys());
                      }
                    }));
    if (!definitions.ignored().isEmpty()) {
      LOG.warn("{}: not imported: {}", file, String.join(", ", definitions.ignored()));
    }
    return definitions.users();
  }

  /** The listeners, in start-up order: HTTP, AMQP, Kafka. */
  private List<Listener> createListeners(InetSocketAddress anyPort, Users users) {
    InetSocketAddress http = new InetSocketAddress(anyPort.getAddress(), config.httpPort());
    HttpChannelInitializer pipeline = new HttpChannelInitializer(new HttpRouter(registry));
    InetSocketAddress amqpAddress = new InetSocketAddress(anyPort.getAddress(), config.amqpPort());
    AmqpProtocol amqpProtocol =
        new AmqpProtocol(
            node.vhosts(),
            users,
            node.alarms(),
            AmqpSettings.DEFAULTS
                .withMaxMessageSize(config.amqpMaxMessageSize())
                .withConsumerTimeoutMillis(config.consumerTimeout()));
    AmqpMeters.bind(amqpProtocol.metrics(), registry);
    InetSocketAddress kafkaAddress =
        new InetSocketAddress(anyPort.getAddress(), config.kafkaPort());
    KafkaNode kafka = new KafkaNode(node, KAFKA_NODE_ID, config.advertisedHost(), this::kafkaPort);
    KafkaProtocol kafkaProtocol = new KafkaProtocol(kafka, KafkaProtocol.DEFAULT_MAX_REQUEST_BYTES);
    return List.of(
        new NettyListener(Protocol.HTTP, http, loops, pipeline),
        new NettyListener(Protocol.AMQP, amqpAddress, loops, amqpProtocol.channelInitializer()),
        new NettyListener(Protocol.KAFKA, kafkaAddress, loops, kafkaProtocol.channelInitializer()));
  }

  /** The port Kafka clients are told to use: the one bound, once it is. */
  private int kafkaPort() {
    int bound = boundKafkaPort;
    return bound == 0 ? config.kafkaPort() : bound;
  }

  private void startListener(Listener listener, InetSocketAddress anyPort) throws StartupException {
    Setting port = listener.protocol().portSetting();
    try {
      listeners.add(listener);
      InetSocketAddress address = listener.start();
      bound.put(listener.protocol(), address);
      if (listener.protocol() == Protocol.KAFKA) {
        boundKafkaPort = address.getPort();
      }
    } catch (IOException e) {
      String where = anyPort.getAddress().getHostAddress() + ":" + config.value(port);
      throw new StartupException(
          port.key() + ": cannot listen on " + where + ": " + StartupException.reason(e), e);
    }
  }

  private InetSocketAddress bindAddress() throws StartupException {
    InetSocketAddress address = new InetSocketAddress(config.bindAddress(), 0);
    if (address.isUnresolved()) {
      throw new StartupException(
          Setting.BIND_ADDRESS.key() + ": cannot resolve '" + config.bindAddress() + "'", null);
    }
    return address;
  }

  /**
   * Stops the broker if it is running; waits for a start in progress first.
   *
   * @return false if the broker failed to start or storage did not close cleanly
   */
  public synchronized boolean stop() {
    if (state == State.NEW) {
      state = State.STOPPED;
      stopped.countDown();
    }
    if (state != State.RUNNING) {
      return state == State.STOPPED;
    }
    LOG.info("stopping");
    boolean clean = closeEverything();
    state = State.STOPPED;
    stopped.countDown();
    return clean;
  }

  private boolean closeEverything() {
    for (int i = listeners.size() - 1; i >= 0; i--) {
      listeners.get(i).close();
    }
    listeners.clear();
    if (loops != null) {
      loops.close();
    }
    JvmMeters meters = jvmMeters == null ? null : jvmMeters.handle((m, failure) -> m).join();
    if (meters != null) {
      meters.close();
    }
    if (registry != null) {
      registry.close();
    }
    try {
      if (node != null) {
        node.close();
      }
      storage.close();
      return true;
    } catch (IOException e) {
      LOG.error("closing data directory {} failed: {}", dataDir, e.toString());
      return false;
    }
  }

  /** Blocks until {@link #stop()} has stopped this broker. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** The absolute data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** True if the data directory was empty or absent before this start. */
  public synchronized boolean newDataDir() {
    return newDataDir;
  }

  /** True if storage found the marker of a clean shutdown at start. */
  public synchronized boolean wasCleanShutdown() {
    return storage != null && storage.wasCleanShutdown();
  }

  /** The address each started listener bound, in {@link Protocol} order. */
  public synchronized Map<Protocol, InetSocketAddress> boundAddresses() {
    return Collections.unmodifiableMap(new EnumMap<>(bound));
  }
}
