package dev.tandem.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java Kafka client, unmodified, against a real listener. */
class KafkaClientsTest {
  @TempDir Path dataDir;
  private KafkaTestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = new KafkaTestBroker(dataDir, LogConfig.DEFAULT).start();
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  private Properties common() {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    return props;
  }

  private KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Properties props = common();
    props.putAll(extra);
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private KafkaConsumer<String, String> consumer() {
    Properties props = common();
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  private static List<ConsumerRecord<String, String>> poll(
      KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 15_000;
    while (records.size() < count && System.currentTimeMillis() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  @Test
  void shouldProduceWithDefaultSettingsAndConsumeFromAssignedPartition() throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 100; i++) {
        RecordMetadata metadata =
            producer.send(new ProducerRecord<>("orders", "k" + i, "v" + i)).get();
        assertThat(metadata.offset()).isEqualTo(i);
      }
    }
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.assign(List.of(new TopicPartition("orders", 0)));
      List<ConsumerRecord<String, String>> records = poll(consumer, 100);
      assertThat(records).hasSize(100);
      assertThat(records.get(42).key()).isEqualTo("k42");
      assertThat(records.get(42).value()).isEqualTo("v42");
      assertThat(records.get(42).offset()).isEqualTo(42);
    }
  }

  @Test
  void shouldReadEveryCompressionTypeBack() throws Exception {
    for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
      try (KafkaProducer<String, String> producer = producer(Map.of("compression.type", codec))) {
        for (int i = 0; i < 20; i++) {
          producer.send(new ProducerRecord<>("compressed", codec + i, "value-" + codec + "-" + i));
        }
        producer.flush();
      }
    }
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.assign(List.of(new TopicPartition("compressed", 0)));
      List<ConsumerRecord<String, String>> records = poll(consumer, 100);
      assertThat(records).hasSize(100);
      assertThat(records.get(99).value()).isEqualTo("value-zstd-19");
    }
  }

  @Test
  void shouldKeepHeadersNullKeysAndNullValues() throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      ProducerRecord<String, String> record = new ProducerRecord<>("headers", null, null);
      record.headers().add("trace", "abc".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.assign(List.of(new TopicPartition("headers", 0)));
      ConsumerRecord<String, String> record = poll(consumer, 1).get(0);
      assertThat(record.key()).isNull();
      assertThat(record.value()).isNull();
      assertThat(new String(record.headers().lastHeader("trace").value(), StandardCharsets.UTF_8))
          .isEqualTo("abc");
    }
  }

  @Test
  void shouldAcceptRecordNearTheSizeLimitAndRefuseOneAboveIt() throws Exception {
    String nearLimit = "x".repeat(1_000_000);
    try (KafkaProducer<String, String> producer = producer(Map.of("max.request.size", 2_000_000))) {
      producer.send(new ProducerRecord<>("big", "k", nearLimit)).get();
      var refused = producer.send(new ProducerRecord<>("big", "k", "y".repeat(1_100_000)));
      org.assertj.core.api.Assertions.assertThatThrownBy(refused::get)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
    }
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.assign(List.of(new TopicPartition("big", 0)));
      List<ConsumerRecord<String, String>> records = poll(consumer, 1);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).value()).isEqualTo(nearLimit);
    }
  }

  @Test
  void shouldCreateAndDeleteTopicsWithAdminClient() throws Exception {
    try (Admin admin = Admin.create(common())) {
      admin.createTopics(List.of(new NewTopic("created", 6, (short) 1))).all().get();
      assertThat(admin.listTopics().names().get()).contains("created");
      assertThat(
              admin
                  .describeTopics(List.of("created"))
                  .allTopicNames()
                  .get()
                  .get("created")
                  .partitions())
          .hasSize(6);
      admin.deleteTopics(List.of("created")).all().get();
      assertThat(admin.listTopics().names().get()).doesNotContain("created");
    }
  }

  @Test
  void shouldListTheOffsetOfTheLargestTimestamp() throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (long timestamp : new long[] {5_000, 9_000, 7_000, 9_000}) {
        producer.send(new ProducerRecord<>("stamps", 0, timestamp, "k", "v")).get();
      }
    }
    try (Admin admin = Admin.create(common())) {
      TopicPartition tp = new TopicPartition("stamps", 0);
      var info =
          admin
              .listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.maxTimestamp()))
              .partitionResult(tp)
              .get();
      assertThat(info.offset()).isEqualTo(1);
      assertThat(info.timestamp()).isEqualTo(9_000);
    }
  }

  @Test
  void shouldSeekToTimestampAndToBeginning() throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("timed", 0, 1_000L * (i + 1), "k", "v" + i)).get();
      }
    }
    try (KafkaConsumer<String, String> consumer = consumer()) {
      TopicPartition tp = new TopicPartition("timed", 0);
      consumer.assign(List.of(tp));
      var found = consumer.offsetsForTimes(Map.of(tp, 4_500L)).get(tp);
      assertThat(found.offset()).isEqualTo(4);
      consumer.seek(tp, found.offset());
      assertThat(poll(consumer, 6).get(0).value()).isEqualTo("v4");
      consumer.seekToBeginning(List.of(tp));
      assertThat(poll(consumer, 10).get(0).value()).isEqualTo("v0");
    }
  }
}
