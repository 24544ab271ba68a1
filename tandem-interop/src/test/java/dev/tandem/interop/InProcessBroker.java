package dev.tandem.interop;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.tandem.server.config.BrokerConfig;
import dev.tandem.server.config.Setting;
import dev.tandem.server.lifecycle.Broker;
import dev.tandem.server.listener.Protocol;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A broker in this JVM, on free ports, serving both protocols from one data directory, with
 * factories for real clients of each: for tests of what crosses between AMQP and Kafka. It restarts
 * on the same data directory and the same ports.
 */
final class InProcessBroker implements AutoCloseable {
  private final Path dataDir;
  private final Map<Setting, String> extra;
  private Broker broker;
  private int amqpPort;
  private int kafkaPort;

  InProcessBroker(Path dataDir) {
    this(dataDir, Map.of());
  }

  /** A broker with settings beyond the defaults (data dir and ports are set here). */
  InProcessBroker(Path dataDir, Map<Setting, String> extra) {
    this.dataDir = dataDir;
    this.extra = extra;
  }

  InProcessBroker start() throws Exception {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.put(Setting.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
    flags.putAll(extra);
    flags.put(Setting.DATA_DIR, dataDir.toString());
    flags.put(Setting.AMQP_PORT, Integer.toString(amqpPort));
    flags.put(Setting.KAFKA_PORT, Integer.toString(kafkaPort));
    flags.put(Setting.HTTP_PORT, "0");
    flags.put(Setting.ADVERTISED_HOST, "127.0.0.1");
    flags.put(Setting.BIND_ADDRESS, "127.0.0.1");
    broker = new Broker(BrokerConfig.load(Optional.empty(), flags));
    broker.start();
    amqpPort = broker.boundAddresses().get(Protocol.AMQP).getPort();
    kafkaPort = broker.boundAddresses().get(Protocol.KAFKA).getPort();
    return this;
  }

  /** Stops cleanly and starts again on the same data directory and ports. */
  InProcessBroker restart() throws Exception {
    broker.stop();
    return start();
  }

  int amqpPort() {
    return amqpPort;
  }

  String kafkaBootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  Connection amqp() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(amqpPort);
    return factory.newConnection();
  }

  KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A consumer in a fresh group that starts from the earliest offset. */
  KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
    return Admin.create(props);
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.stop();
    }
  }
}
