package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default Java producer (idempotent, acks=all) keeps producing while the broker is killed with
 * SIGKILL and restarted: afterwards every acknowledged record is there, in order per partition, and
 * none is there twice.
 */
class KafkaSigkillTest {
  @TempDir Path dataDir;

  @Test
  void shouldKeepEveryAcknowledgedRecordInOrderWithoutDuplicatesAcrossSigkill() throws Exception {
    BrokerProcess broker = new BrokerProcess(dataDir).start();
    Properties props = new Properties();
    props.put("bootstrap.servers", "127.0.0.1:" + broker.kafkaPort());
    props.put("delivery.timeout.ms", "60000");
    props.put("request.timeout.ms", "5000");
    props.put("reconnect.backoff.max.ms", "200");
    Map<Integer, List<Integer>> acked = new ConcurrentHashMap<>();
    int sent;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("sigkill", 0, "warm", "-1")).get();
      int i = 0;
      // The kill comes at a random moment once a few hundred records are acknowledged, so that a
      // cold JVM's slow start cannot leave nothing to check; producing goes on for 1.5 s after.
      long killAt = Long.MAX_VALUE;
      boolean killed = false;
      long stopAt = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < stopAt) {
        if (killAt == Long.MAX_VALUE && acked.values().stream().mapToInt(List::size).sum() >= 300) {
          killAt = System.currentTimeMillis() + ThreadLocalRandom.current().nextInt(300);
        }
        int value = i++;
        int partition = value % 2;
        producer.send(
            new ProducerRecord<>("sigkill-" + partition, 0, "k", Integer.toString(value)),
            (metadata, error) -> {
              if (error == null) {
                acked
                    .computeIfAbsent(
                        partition, p -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(value);
              }
            });
        if (!killed && System.currentTimeMillis() >= killAt) {
          broker.kill();
          killed = true;
          broker.start();
          stopAt = System.currentTimeMillis() + 1_500;
        }
        if (value % 50 == 0) {
          Thread.sleep(1);
        }
      }
      sent = i;
      assertThat(killed).as("the broker was killed mid-run").isTrue();
      producer.flush();
    }
    Map<Integer, List<Integer>> stored = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = consumer(broker)) {
      for (int partition = 0; partition < 2; partition++) {
        consumer.assign(List.of(new TopicPartition("sigkill-" + partition, 0)));
        consumer.seekToBeginning(consumer.assignment());
        List<Integer> values = new ArrayList<>();
        long end = consumer.endOffsets(consumer.assignment()).values().iterator().next();
        long deadline = System.currentTimeMillis() + 30_000;
        while (values.size() < end && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            values.add(Integer.parseInt(record.value()));
          }
        }
        stored.put(partition, values);
      }
    } finally {
      broker.close();
    }
    assertThat(sent).isPositive();
    assertThat(acked.values().stream().mapToInt(List::size).sum())
        .as("records acknowledged")
        .isGreaterThan(100);
    for (int partition = 0; partition < 2; partition++) {
      List<Integer> values = stored.get(partition);
      assertThat(values).as("partition %d has no duplicates", partition).doesNotHaveDuplicates();
      assertThat(values).as("partition %d is in send order", partition).isSorted();
      assertThat(values)
          .as("partition %d keeps every acknowledged record", partition)
          .containsAll(acked.getOrDefault(partition, List.of()));
    }
  }

  private static KafkaConsumer<String, String> consumer(BrokerProcess broker) {
    Properties props = new Properties();
    props.put("bootstrap.servers", "127.0.0.1:" + broker.kafkaPort());
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }
}
