package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages that cross AMQP → Kafka → AMQP, and Kafka records that ask for delayed delivery. */
class CrossingRoundTripTest {
  @TempDir Path dir;
  private InProcessBroker broker;
  private Connection connection;
  private Channel channel;

  @BeforeEach
  void start() throws Exception {
    broker = new InProcessBroker(dir).start();
    connection = broker.amqp();
    channel = connection.createChannel();
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  @Test
  void shouldKeepPropertiesAndHeadersOfAMessageThatCrossesToKafkaAndBack() throws Exception {
    channel.queueDeclare("trip-out", true, false, false, Map.of("x-queue-type", "stream"));
    channel.queueDeclare("trip-back", true, false, false, Map.of("x-queue-type", "stream"));
    channel.queueDeclare("arrivals", true, false, false, null);
    channel.queueBind("arrivals", "trip-back", "#");
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("text", "hello");
    headers.put("count", 42);
    headers.put("big", 1L << 40);
    headers.put("flag", true);
    headers.put("nested", Map.of("inner", "value"));
    headers.put("list", List.of("a", 1));
    AMQP.BasicProperties sent =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("utf-8")
            .headers(headers)
            .deliveryMode(2)
            .priority(5)
            .correlationId("corr-1")
            .replyTo("replies")
            .expiration("600000")
            .messageId("m-1")
            .timestamp(new Date(1_700_000_123_000L))
            .type("order.created")
            .appId("shop")
            .build();
    channel.confirmSelect();
    channel.basicPublish("", "trip-out", sent, "body".getBytes(StandardCharsets.UTF_8));
    channel.waitForConfirmsOrDie(5000);

    try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer();
        KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      consumer.subscribe(List.of("trip-out"));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      assertThat(records).hasSize(1);
      ConsumerRecord<byte[], byte[]> record = records.get(0);
      ProducerRecord<byte[], byte[]> forwarded =
          new ProducerRecord<>(
              "trip-back",
              null,
              record.timestamp(),
              record.key(),
              record.value(),
              record.headers());
      producer.send(forwarded).get();
    }

    GetResponse back = poll("arrivals");
    AMQP.BasicProperties received = back.getProps();
    assertThat(new String(back.getBody(), StandardCharsets.UTF_8)).isEqualTo("body");
    assertThat(received.getContentType()).isEqualTo("application/json");
    assertThat(received.getContentEncoding()).isEqualTo("utf-8");
    assertThat(received.getDeliveryMode()).isEqualTo(2);
    assertThat(received.getPriority()).isEqualTo(5);
    assertThat(received.getCorrelationId()).isEqualTo("corr-1");
    assertThat(received.getReplyTo()).isEqualTo("replies");
    assertThat(received.getExpiration()).isEqualTo("600000");
    assertThat(received.getMessageId()).isEqualTo("m-1");
    assertThat(received.getTimestamp()).isEqualTo(new Date(1_700_000_123_000L));
    assertThat(received.getType()).isEqualTo("order.created");
    assertThat(received.getAppId()).isEqualTo("shop");
    Map<String, Object> got = received.getHeaders();
    assertThat(got.get("text").toString()).isEqualTo("hello");
    assertThat(got.get("count")).isEqualTo(42);
    assertThat(got.get("big")).isEqualTo(1L << 40);
    assertThat(got.get("flag")).isEqualTo(true);
    assertThat(((Map<?, ?>) got.get("nested")).get("inner").toString()).isEqualTo("value");
    assertThat(((List<?>) got.get("list")).get(1)).isEqualTo(1);
    assertThat(got).hasSize(headers.size());
  }

  @Test
  void shouldHoldAKafkaRecordWithXDelayBeforeItEntersABoundQueue() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(new ProducerRecord<>("later", null, "warm".getBytes())).get();
      channel.queueDeclare("later-work", true, false, false, null);
      channel.queueBind("later-work", "later", "#");
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>("later", null, "delayed".getBytes(StandardCharsets.UTF_8));
      record.headers().add(new RecordHeader("x-delay", "700".getBytes(StandardCharsets.UTF_8)));
      long sent = System.nanoTime();
      producer.send(record).get();
      GetResponse response = poll("later-work");
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("delayed");
      assertThat(waitedMs).isGreaterThanOrEqualTo(700);
    }
  }

  private GetResponse poll(String queue) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) {
        return response;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("nothing arrived in " + queue);
  }
}
