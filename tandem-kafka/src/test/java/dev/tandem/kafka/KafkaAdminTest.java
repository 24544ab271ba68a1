package dev.tandem.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tandem.core.topic.Topics;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's Java AdminClient, unmodified, against a real listener: configs, partitions, records. */
class KafkaAdminTest {
  @TempDir Path dataDir;
  private KafkaTestBroker broker;
  private Admin admin;

  @BeforeEach
  void start() throws Exception {
    broker = new KafkaTestBroker(dataDir, LogConfig.DEFAULT).start();
    admin = Admin.create(common());
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    broker.close();
  }

  private Properties common() {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    return props;
  }

  private static ConfigResource topic(String name) {
    return new ConfigResource(ConfigResource.Type.TOPIC, name);
  }

  private void createTopic(String name, int partitions, Map<String, String> configs)
      throws Exception {
    admin
        .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
        .all()
        .get();
  }

  private Config describe(ConfigResource resource) throws Exception {
    return admin
        .describeConfigs(
            List.of(resource),
            new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
        .all()
        .get()
        .get(resource);
  }

  private void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
    admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get();
  }

  private static AlterConfigOp set(String key, String value) {
    return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
  }

  private static Throwable cause(ThrowingCall call) {
    try {
      call.run();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  private KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(common(), new StringSerializer(), new StringSerializer());
  }

  private void produce(String topic, int partition, int count) throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get();
      }
    }
  }

  @Test
  void shouldDescribeTopicConfigDefaultsAndOverrides() throws Exception {
    createTopic("described", 1, Map.of("retention.ms", "3600000"));

    Config config = describe(topic("described"));

    assertThat(config.entries())
        .extracting(ConfigEntry::name)
        .containsExactlyInAnyOrder(
            "cleanup.policy",
            "max.message.bytes",
            "message.timestamp.type",
            "retention.bytes",
            "retention.ms",
            "segment.bytes",
            "segment.ms");
    ConfigEntry retention = config.get("retention.ms");
    assertThat(retention.value()).isEqualTo("3600000");
    assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    assertThat(retention.isDefault()).isFalse();
    assertThat(retention.isReadOnly()).isFalse();
    assertThat(retention.type()).isEqualTo(ConfigEntry.ConfigType.LONG);
    assertThat(retention.synonyms())
        .extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::source)
        .containsExactly(
            tuple("retention.ms", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG),
            tuple("log.retention.ms", ConfigEntry.ConfigSource.DEFAULT_CONFIG));
    ConfigEntry segment = config.get("segment.bytes");
    assertThat(segment.value()).isEqualTo(Integer.toString(LogConfig.DEFAULT.segmentBytes()));
    assertThat(segment.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    assertThat(segment.isDefault()).isTrue();
    assertThat(segment.isSensitive()).isFalse();
    assertThat(segment.documentation()).isNotBlank();
    assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);
  }

  @Test
  void shouldDescribeBrokerConfigsAsReadOnly() throws Exception {
    Config config = describe(new ConfigResource(ConfigResource.Type.BROKER, "1"));

    assertThat(config.get("num.partitions").value()).isEqualTo("1");
    assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("true");
    assertThat(config.get("log.segment.bytes").value())
        .isEqualTo(Integer.toString(LogConfig.DEFAULT.segmentBytes()));
    assertThat(config.get("node.id").value()).isEqualTo("1");
    assertThat(config.entries()).allMatch(ConfigEntry::isReadOnly);
  }

  @Test
  void shouldFailToDescribeConfigsOfUnknownTopic() {
    assertThat(cause(() -> describe(topic("missing"))))
        .isInstanceOf(UnknownTopicOrPartitionException.class);
  }

  @Test
  void shouldShowNewValueAfterIncrementalAlterAndApplyItToTheLog() throws Exception {
    createTopic("altered", 1, Map.of());

    alter(topic("altered"), set("retention.bytes", "1048576"), set("max.message.bytes", "1024"));

    ConfigEntry retention = describe(topic("altered")).get("retention.bytes");
    assertThat(retention.value()).isEqualTo("1048576");
    assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    try (KafkaProducer<String, String> producer = producer()) {
      ProducerRecord<String, String> big = new ProducerRecord<>("altered", "k", "x".repeat(4096));
      assertThat(cause(() -> producer.send(big).get())).isInstanceOf(RecordTooLargeException.class);
    }
    admin.close();
    broker.close();
    try (LogDirectory directory = LogDirectory.open(dataDir)) {
      dev.tandem.core.Node node =
          dev.tandem.core.Node.open(
              directory, new Topics.TopicDefaults(LogConfig.DEFAULT, 1, true));
      LogConfig log = node.topics().topic("altered").orElseThrow().partition(0).log().config();
      assertThat(log.retentionBytes()).isEqualTo(1048576);
      assertThat(log.maxBatchBytes()).isEqualTo(1024);
    }
    broker.start();
    admin = Admin.create(common());
  }

  @Test
  void shouldRemoveOverrideWithIncrementalDelete() throws Exception {
    createTopic("reverted", 1, Map.of("segment.ms", "60000"));

    alter(
        topic("reverted"),
        new AlterConfigOp(new ConfigEntry("segment.ms", null), AlterConfigOp.OpType.DELETE));

    ConfigEntry segment = describe(topic("reverted")).get("segment.ms");
    assertThat(segment.isDefault()).isTrue();
    assertThat(segment.value()).isEqualTo(Long.toString(LogConfig.DEFAULT.segmentMs()));
  }

  @Test
  void shouldRefuseUnknownConfigKeyWithInvalidConfiguration() throws Exception {
    createTopic("strict", 1, Map.of());

    Throwable failure = cause(() -> alter(topic("strict"), set("no.such.config", "1")));

    assertThat(failure)
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("no.such.config");
  }

  @Test
  void shouldRefuseBadValueAndAppendToNonListConfig() throws Exception {
    createTopic("checked", 1, Map.of());

    assertThat(cause(() -> alter(topic("checked"), set("retention.ms", "soon"))))
        .isInstanceOf(InvalidConfigurationException.class);
    assertThat(
            cause(
                () ->
                    alter(
                        topic("checked"),
                        new AlterConfigOp(
                            new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.APPEND))))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("not LIST");
    assertThat(describe(topic("checked")).get("retention.ms").isDefault()).isTrue();
  }

  @Test
  void shouldChangeNothingWhenValidateOnly() throws Exception {
    createTopic("dry", 1, Map.of());

    admin
        .incrementalAlterConfigs(
            Map.of(topic("dry"), List.of(set("retention.ms", "1000"))),
            new AlterConfigsOptions().validateOnly(true))
        .all()
        .get();
    admin
        .createPartitions(
            Map.of("dry", NewPartitions.increaseTo(3)),
            new CreatePartitionsOptions().validateOnly(true))
        .all()
        .get();

    assertThat(describe(topic("dry")).get("retention.ms").isDefault()).isTrue();
    assertThat(admin.describeTopics(List.of("dry")).allTopicNames().get().get("dry").partitions())
        .hasSize(1);
  }

  @Test
  void shouldRefuseToChangeBrokerConfigs() {
    ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");

    assertThat(cause(() -> alter(brokerResource, set("log.retention.ms", "1000"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Cannot update these configs dynamically");
  }

  @Test
  void shouldGrowTopicFromOneToFourPartitionsAndProduceToTheLast() throws Exception {
    createTopic("grown", 1, Map.of());

    admin.createPartitions(Map.of("grown", NewPartitions.increaseTo(4))).all().get();

    assertThat(
            admin.describeTopics(List.of("grown")).allTopicNames().get().get("grown").partitions())
        .hasSize(4);
    try (KafkaProducer<String, String> producer = producer()) {
      RecordMetadata metadata = producer.send(new ProducerRecord<>("grown", 3, "k", "v")).get();
      assertThat(metadata.partition()).isEqualTo(3);
      assertThat(metadata.offset()).isZero();
    }
  }

  @Test
  void shouldRefuseToShrinkOrToAssignOtherBrokers() throws Exception {
    createTopic("fixed", 2, Map.of());

    assertThat(
            cause(
                () ->
                    admin
                        .createPartitions(Map.of("fixed", NewPartitions.increaseTo(1)))
                        .all()
                        .get()))
        .isInstanceOf(InvalidPartitionsException.class)
        .hasMessageContaining("would not be an increase");
    assertThat(
            cause(
                () ->
                    admin
                        .createPartitions(
                            Map.of("fixed", NewPartitions.increaseTo(3, List.of(List.of(2)))))
                        .all()
                        .get()))
        .isInstanceOf(InvalidReplicaAssignmentException.class);
  }

  @Test
  void shouldMoveEarliestOffsetWithDeleteRecords() throws Exception {
    createTopic("trimmed", 1, Map.of());
    produce("trimmed", 0, 10);
    TopicPartition tp = new TopicPartition("trimmed", 0);

    long low =
        admin
            .deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6)))
            .lowWatermarks()
            .get(tp)
            .get()
            .lowWatermark();

    assertThat(low).isEqualTo(6);
    Properties props = common();
    props.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 15_000;
      while (records.size() < 4 && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
    }
    assertThat(
            cause(
                () ->
                    admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11))).all().get()))
        .isInstanceOf(OffsetOutOfRangeException.class);
  }

  @Test
  void shouldDescribeClusterAsOneBrokerThatIsTheController() throws Exception {
    DescribeClusterResult cluster = admin.describeCluster();

    List<Node> nodes = new ArrayList<>(cluster.nodes().get());
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).id()).isEqualTo(1);
    assertThat(nodes.get(0).port()).isEqualTo(Integer.parseInt(broker.bootstrap().split(":")[1]));
    assertThat(cluster.controller().get().id()).isEqualTo(1);
    assertThat(cluster.clusterId().get()).hasSize(22);
  }

  @Test
  void shouldDescribeLogDirsWithPartitionSizes() throws Exception {
    createTopic("sized", 2, Map.of());
    produce("sized", 1, 5);

    Map<String, LogDirDescription> dirs =
        admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);

    assertThat(dirs).hasSize(1);
    LogDirDescription dir = dirs.values().iterator().next();
    assertThat(dir.error()).isNull();
    assertThat(dir.replicaInfos().get(new TopicPartition("sized", 1)).size()).isPositive();
    assertThat(dir.replicaInfos().get(new TopicPartition("sized", 0)).size()).isZero();
    assertThat(dir.totalBytes()).isPresent();
  }
}
