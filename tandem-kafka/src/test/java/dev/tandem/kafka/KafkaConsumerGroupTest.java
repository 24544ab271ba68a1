package dev.tandem.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups of the unmodified Java consumer (classic protocol) against a real listener. */
class KafkaConsumerGroupTest {
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

  private KafkaConsumer<String, String> consumer(String group, Map<String, Object> extra) {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    props.put("group.id", group);
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    props.put("heartbeat.interval.ms", "100");
    props.put("session.timeout.ms", "3000");
    props.put("max.poll.interval.ms", "10000");
    props.putAll(extra);
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  private KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    props.put("linger.ms", "1");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * One member of the group on its own thread: polls, "processes" each record by noting its
   * partition and offset, then commits what it processed. Only records whose commit succeeded count
   * as consumed; a failed commit means they may be consumed again, legitimately.
   */
  private final class Member implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> committedRecords =
        Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    Member(String name, String group, String topic) {
      consumer = consumer(group, Map.of("client.id", name, "max.poll.records", "50"));
      consumer.subscribe(List.of(topic));
      thread = new Thread(this::run, name);
      thread.start();
    }

    private void run() {
      try {
        while (running.get()) {
          ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
          if (records.isEmpty()) {
            continue;
          }
          List<TopicPartition> processed = new ArrayList<>();
          Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
          for (ConsumerRecord<String, String> record : records) {
            processed.add(
                new TopicPartition(record.topic() + "@" + record.offset(), record.partition()));
            next.put(
                new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
          }
          try {
            consumer.commitSync(next);
            committedRecords.addAll(processed);
          } catch (KafkaException e) {
            // not committed: another member may consume these records again
          }
        }
      } catch (Throwable e) {
        failure = e;
      } finally {
        consumer.close();
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(15_000);
      assertThat(failure).isNull();
    }
  }

  @Test
  void shouldNeitherLoseNorRepeatCommittedRecordsWhileMembersJoinAndLeave() throws Exception {
    String topic = "rebalanced";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
    }
    Set<TopicPartition> produced = ConcurrentHashMap.newKeySet();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producerThread =
        new Thread(
            () -> {
              try (KafkaProducer<String, String> producer = producer()) {
                for (int i = 0; producing.get(); i++) {
                  producer.send(
                      new ProducerRecord<>(topic, i % 6, "k" + i, "v" + i),
                      (metadata, e) -> {
                        if (e == null) {
                          produced.add(
                              new TopicPartition(
                                  topic + "@" + metadata.offset(), metadata.partition()));
                        }
                      });
                  Thread.sleep(2);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producerThread.start();
    List<Member> members = new ArrayList<>();
    members.add(new Member("member-1", "rebalancers", topic));
    await("300 records", () -> produced.size() >= 300);
    members.add(new Member("member-2", "rebalancers", topic));
    await("700 records", () -> produced.size() >= 700);
    members.add(new Member("member-3", "rebalancers", topic));
    await("1100 records", () -> produced.size() >= 1100);
    members.get(1).close();
    await("1500 records", () -> produced.size() >= 1500);
    members.add(new Member("member-4", "rebalancers", topic));
    await("2000 records", () -> produced.size() >= 2000);
    producing.set(false);
    producerThread.join();

    List<TopicPartition> consumed = new ArrayList<>();
    await(
        "every record is consumed",
        () -> {
          consumed.clear();
          members.forEach(m -> consumed.addAll(m.committedRecords));
          return new HashSet<>(consumed).containsAll(produced);
        });
    for (Member member : members) {
      member.close();
    }

    consumed.clear();
    members.forEach(m -> consumed.addAll(m.committedRecords));
    assertThat(consumed).doesNotHaveDuplicates();
    assertThat(new HashSet<>(consumed)).isEqualTo(produced);
    for (Member member : members) {
      assertThat(member.committedRecords).as(member.thread.getName()).isNotEmpty();
    }
  }

  @Test
  void shouldResumeFromTheCommittedOffsetAfterABrokerRestart() throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("resumed", "k", "v" + i)).get();
      }
    }
    TopicPartition partition = new TopicPartition("resumed", 0);
    try (KafkaConsumer<String, String> consumer = consumer("resumers", Map.of())) {
      consumer.subscribe(List.of("resumed"));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      await(
          "records arrive",
          () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size() >= 4;
          });
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(4, "four")));
    }

    broker.restart();

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
      var description =
          admin.describeConsumerGroups(List.of("resumers")).all().get().get("resumers");
      assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
      assertThat(description.members()).isEmpty();
      assertThat(admin.listConsumerGroupOffsets("resumers").partitionsToOffsetAndMetadata().get())
          .containsEntry(partition, new OffsetAndMetadata(4, java.util.Optional.empty(), "four"));
    }
    try (KafkaConsumer<String, String> consumer = consumer("resumers", Map.of())) {
      consumer.subscribe(List.of("resumed"));
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      await(
          "records arrive",
          () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return !records.isEmpty();
          });
      assertThat(records.get(0).offset()).isEqualTo(4);
      assertThat(records.get(0).value()).isEqualTo("v4");
    }
  }

  @Test
  void shouldKeepTheGenerationWhenAStaticMemberRestarts() throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>("statics", "k", "v")).get();
    }
    Map<String, Object> staticMember = Map.of("group.instance.id", "instance-1");
    int generation;
    String memberId;
    try (KafkaConsumer<String, String> first = consumer("static-group", staticMember)) {
      first.subscribe(List.of("statics"));
      await(
          "assigned",
          () -> {
            first.poll(Duration.ofMillis(100));
            return !first.assignment().isEmpty();
          });
      generation = first.groupMetadata().generationId();
      memberId = first.groupMetadata().memberId();
    }
    try (KafkaConsumer<String, String> second = consumer("static-group", staticMember)) {
      second.subscribe(List.of("statics"));
      await(
          "assigned",
          () -> {
            second.poll(Duration.ofMillis(100));
            return !second.assignment().isEmpty();
          });
      assertThat(second.groupMetadata().generationId()).isEqualTo(generation);
      assertThat(second.groupMetadata().memberId()).isNotEqualTo(memberId);
    }
  }

  @Test
  void shouldTellConsumersOfTheNewGroupProtocolToUseTheClassicOne() {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    props.put("group.id", "new-protocol");
    props.put("group.protocol", "consumer");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("anything"));
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 100; i++) {
                  consumer.poll(Duration.ofMillis(100));
                }
              })
          .isInstanceOf(UnsupportedVersionException.class)
          .hasMessageContaining("group.protocol=classic");
    }
  }
}
