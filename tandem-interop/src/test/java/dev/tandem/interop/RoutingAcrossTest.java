package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing between the protocols with real clients on both sides: AMQP publishes routed into a
 * stream are records Kafka consumers read (routing in), and a topic's records reach AMQP queues
 * bound to the topic's exchange (routing out).
 */
class RoutingAcrossTest {
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

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<ConsumerRecord<byte[], byte[]>> poll(
      KafkaConsumer<byte[], byte[]> consumer, String topic, int count) {
    consumer.subscribe(List.of(topic));
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (records.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    }
    return records;
  }

  @Test
  void shouldAppendMessagesRoutedToAStreamAsRecordsKafkaConsumersRead() throws Exception {
    channel.exchangeDeclare("events", "topic", true);
    channel.queueDeclare("user-events", true, false, false, Map.of("x-queue-type", "stream"));
    channel.queueBind("user-events", "events", "user.*");
    channel.confirmSelect();
    long seconds = 1_700_000_000L;
    for (int i = 0; i < 5; i++) {
      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder()
              .headers(Map.of("origin", "signup", "attempt", i))
              .timestamp(new Date((seconds + i) * 1000))
              .contentType("application/json")
              .build();
      channel.basicPublish(
          "events",
          "user.registered",
          props,
          ("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }
    channel.basicPublish("events", "order.placed", null, new byte[] {1});
    channel.waitForConfirmsOrDie(5000);

    try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer()) {
      List<ConsumerRecord<byte[], byte[]>> records = poll(consumer, "user-events", 5);
      assertThat(records).hasSize(5);
      for (int i = 0; i < 5; i++) {
        ConsumerRecord<byte[], byte[]> record = records.get(i);
        assertThat(text(record.key())).isEqualTo("user.registered");
        assertThat(text(record.value())).isEqualTo("{\"id\":" + i + "}");
        assertThat(record.timestamp()).isEqualTo((seconds + i) * 1000);
        assertThat(text(record.headers().lastHeader("origin").value())).isEqualTo("signup");
        assertThat(text(record.headers().lastHeader("attempt").value()))
            .isEqualTo(Integer.toString(i));
      }
    }
  }

  @Test
  void shouldDeliverEveryRecordOfATopicOnceToCompetingConsumersOfABoundQueue() throws Exception {
    int total = 300;
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer
          .send(new ProducerRecord<>("orders", "warm".getBytes(StandardCharsets.UTF_8), null))
          .get();
      channel.queueDeclare("order-work", true, false, false, null);
      channel.queueBind("order-work", "orders", "order.#");
      for (int i = 0; i < total; i++) {
        producer.send(
            new ProducerRecord<>(
                "orders",
                "order.created".getBytes(StandardCharsets.UTF_8),
                ("o" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(total);
    List<Channel> consumers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      Channel consumer = connection.createChannel();
      consumer.basicQos(10);
      consumer.basicConsume(
          "order-work",
          false,
          new DefaultConsumer(consumer) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws java.io.IOException {
              if (!seen.add(text(body))) {
                synchronized (duplicates) {
                  duplicates.add(text(body));
                }
              }
              assertThat(envelope.getRoutingKey()).isEqualTo("order.created");
              assertThat(envelope.getExchange()).isEqualTo("orders");
              getChannel().basicAck(envelope.getDeliveryTag(), false);
              done.countDown();
            }
          });
      consumers.add(consumer);
    }
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasSize(total);
    assertThat(duplicates).isEmpty();
  }

  @Test
  void shouldBackfillAQueueBoundWithStreamOffsetFirstThenFollowLiveRecords() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < 20; i++) {
        producer.send(new ProducerRecord<>("history", null, ("old" + i).getBytes()));
      }
      producer.flush();
      channel.queueDeclare("replay", true, false, false, null);
      channel.queueBind("replay", "history", "#", Map.of("x-stream-offset", "first"));
      channel.queueDeclare("live-only", true, false, false, null);
      channel.queueBind("live-only", "history", "#");
      producer.send(new ProducerRecord<>("history", null, "new".getBytes())).get();
    }
    List<String> replayed = drain("replay", 21);
    assertThat(replayed).hasSize(21);
    assertThat(replayed.get(0)).isEqualTo("old0");
    assertThat(replayed.get(20)).isEqualTo("new");
    assertThat(drain("live-only", 1)).containsExactly("new");
  }

  @Test
  void shouldKeepRoutingOutAfterRestartWithoutLosingRecords() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(new ProducerRecord<>("audit", null, "a".getBytes())).get();
      channel.queueDeclare("audit-copy", true, false, false, null);
      channel.queueBind("audit-copy", "audit", "#", Map.of("x-stream-offset", "first"));
      assertThat(drain("audit-copy", 1)).containsExactly("a");
    }
    connection.close();
    broker.restart();
    connection = broker.amqp();
    channel = connection.createChannel();
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(new ProducerRecord<>("audit", null, "b".getBytes())).get();
    }
    assertThat(drain("audit-copy", 1)).containsExactly("b");
  }

  @Test
  void shouldDeadLetterRejectedMessagesIntoATopicKafkaConsumersRead() throws Exception {
    channel.queueDeclare("dead-letters", true, false, false, Map.of("x-queue-type", "stream"));
    channel.queueDeclare(
        "jobs", true, false, false, Map.of("x-dead-letter-exchange", "dead-letters"));
    channel.basicPublish("", "jobs", null, "bad job".getBytes(StandardCharsets.UTF_8));
    var response = pollGet("jobs");
    channel.basicReject(response.getEnvelope().getDeliveryTag(), false);
    try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer()) {
      List<ConsumerRecord<byte[], byte[]>> records = poll(consumer, "dead-letters", 1);
      assertThat(records).hasSize(1);
      assertThat(text(records.get(0).value())).isEqualTo("bad job");
      assertThat(text(records.get(0).key())).isEqualTo("jobs");
      Header reason = records.get(0).headers().lastHeader("x-first-death-reason");
      assertThat(text(reason.value())).isEqualTo("rejected");
    }
  }

  @Test
  void shouldRefuseAnExchangeOfAnotherTypeWithATopicsName() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(new ProducerRecord<>("payments", null, "p".getBytes())).get();
    }
    channel.exchangeDeclare("payments", "topic", true);
    assertThatThrownBy(() -> channel.exchangeDeclare("payments", "direct", true))
        .hasStackTraceContaining("406")
        .hasStackTraceContaining("stream 'payments'");
  }

  @Test
  void shouldRefuseATopicWhoseNameAnExchangeHolds() throws Exception {
    channel.exchangeDeclare("billing", "direct", true);
    try (Admin admin = broker.admin()) {
      assertThatThrownBy(
              () -> admin.createTopics(List.of(new NewTopic("billing", 1, (short) 1))).all().get())
          .hasCauseInstanceOf(InvalidTopicException.class)
          .hasMessageContaining("exchange of type direct");
    }
  }

  @Test
  void shouldRefuseABindingThatWouldLoop() throws Exception {
    channel.queueDeclare("loop", true, false, false, Map.of("x-queue-type", "stream"));
    assertThatThrownBy(() -> channel.queueBind("loop", "loop", "#"))
        .hasStackTraceContaining("406")
        .hasStackTraceContaining("would loop");
  }

  private com.rabbitmq.client.GetResponse pollGet(String queue) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var response = channel.basicGet(queue, false);
      if (response != null) {
        return response;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("nothing arrived in " + queue);
  }

  /** Gets {@code count} messages from a queue (acking each), waiting for them to be routed. */
  private List<String> drain(String queue, int count) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var response = pollGet(queue);
      bodies.add(text(response.getBody()));
      channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
    }
    Thread.sleep(100);
    assertThat(channel.basicGet(queue, true)).isNull();
    return bodies;
  }
}
