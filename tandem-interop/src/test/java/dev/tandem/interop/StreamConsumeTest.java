package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic written by a Kafka producer is a stream queue to an AMQP consumer (RabbitMQ's Java
 * client), consumed as RabbitMQ serves streams to AMQP 0-9-1 clients: from {@code x-stream-offset},
 * with a prefetch and manual acks, each delivery carrying its offset.
 */
class StreamConsumeTest {
  @TempDir static Path dataDir;
  private static InProcessBroker broker;
  private static KafkaProducer<byte[], byte[]> producer;
  private Connection connection;
  private Channel channel;
  private String topic;

  /** A delivery as the consumer saw it. */
  record Received(
      long tag,
      boolean redelivered,
      String key,
      long offset,
      Long partition,
      String header,
      String body) {}

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new InProcessBroker(dataDir).start();
    producer = broker.producer();
  }

  @AfterAll
  static void stopBroker() {
    producer.close();
    broker.close();
  }

  @BeforeEach
  void connect(TestInfo test) throws Exception {
    topic = test.getTestMethod().orElseThrow().getName();
    connection = broker.amqp();
    channel = connection.createChannel();
  }

  @AfterEach
  void disconnect() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
  }

  /** Produces records {@code from..from+count-1}: key k<i>, value v<i>, header h = x<i>. */
  private void produce(int from, int count, long timestamp) throws Exception {
    for (int i = from; i < from + count; i++) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("h", ("x" + i).getBytes(StandardCharsets.UTF_8));
      producer.send(
          new ProducerRecord<>(
              topic,
              0,
              timestamp == 0 ? null : timestamp + i * 10_000L,
              bytes("k" + i),
              bytes("v" + i),
              headers));
    }
    producer.flush();
  }

  private void produce(int from, int count) throws Exception {
    produce(from, count, 0);
  }

  private BlockingQueue<Received> consume(Object offset, boolean ack) throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    Map<String, Object> arguments = offset == null ? Map.of() : Map.of("x-stream-offset", offset);
    channel.basicConsume(
        topic,
        false,
        arguments,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws java.io.IOException {
            Map<String, Object> headers = properties.getHeaders();
            received.add(
                new Received(
                    envelope.getDeliveryTag(),
                    envelope.isRedeliver(),
                    envelope.getRoutingKey(),
                    (Long) headers.get("x-stream-offset"),
                    (Long) headers.get("x-stream-partition"),
                    text(headers.get("h")),
                    new String(body, StandardCharsets.UTF_8)));
            if (ack) {
              channel.basicAck(envelope.getDeliveryTag(), false);
            }
          }
        });
    return received;
  }

  private static List<Received> take(BlockingQueue<Received> received, int count)
      throws InterruptedException {
    List<Received> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Received next = received.poll(10, TimeUnit.SECONDS);
      assertThat(next).as("delivery %d of %d", i + 1, count).isNotNull();
      taken.add(next);
    }
    return taken;
  }

  private static boolean quietFor(BlockingQueue<Received> received, long millis)
      throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  @Test
  void shouldReplayTopicFromFirstOffsetInOrderWithOffsetHeader() throws Exception {
    produce(0, 30);
    channel.basicQos(10);
    List<Received> received = take(consume("first", true), 30);
    for (int i = 0; i < 30; i++) {
      Received r = received.get(i);
      assertThat(r.offset()).isEqualTo(i);
      assertThat(r.key()).isEqualTo("k" + i);
      assertThat(r.body()).isEqualTo("v" + i);
      assertThat(r.header()).isEqualTo("x" + i);
      assertThat(r.redelivered()).isFalse();
    }
  }

  @Test
  void shouldTellPartitionAndOffsetOfEachRecordOfStreamWithSeveralPartitions() throws Exception {
    channel.queueDeclare(
        topic, true, false, false, Map.of("x-queue-type", "stream", "x-stream-partitions", 3));
    for (int i = 0; i < 9; i++) {
      producer.send(new ProducerRecord<>(topic, i % 3, bytes("k" + i), bytes("v" + i)));
    }
    producer.flush();
    channel.basicQos(20);
    List<Received> received = take(consume("first", true), 9);

    assertThat(received)
        .extracting(r -> r.body() + "@" + r.partition() + ":" + r.offset())
        .containsExactlyInAnyOrder(
            "v0@0:0", "v3@0:1", "v6@0:2", "v1@1:0", "v4@1:1", "v7@1:2", "v2@2:0", "v5@2:1",
            "v8@2:2");
    for (long partition = 0; partition < 3; partition++) {
      long p = partition;
      assertThat(received.stream().filter(r -> r.partition() == p).map(Received::offset))
          .as("partition %d in order", p)
          .containsExactly(0L, 1L, 2L);
    }
  }

  @Test
  void shouldOmitPartitionHeaderForStreamWithOnePartition() throws Exception {
    produce(0, 2);
    channel.basicQos(10);
    assertThat(take(consume("first", true), 2)).extracting(Received::partition).containsOnlyNulls();
  }

  @Test
  void shouldDeliverOnlyRecordsProducedAfterSubscribingWhenNext() throws Exception {
    produce(0, 5);
    channel.basicQos(10);
    BlockingQueue<Received> next = consume("next", true);
    BlockingQueue<Received> byDefault = consume(null, true);
    assertThat(quietFor(next, 200)).isTrue();
    produce(5, 3);
    assertThat(take(next, 3)).extracting(Received::offset).containsExactly(5L, 6L, 7L);
    assertThat(take(byDefault, 3)).extracting(Received::offset).containsExactly(5L, 6L, 7L);
    assertThat(quietFor(next, 200)).isTrue();
  }

  @Test
  void shouldStartAtNumericOffset() throws Exception {
    produce(0, 10);
    channel.basicQos(10);
    BlockingQueue<Received> received = consume(7, true);
    assertThat(take(received, 3)).extracting(Received::body).containsExactly("v7", "v8", "v9");
    assertThat(quietFor(received, 200)).isTrue();
  }

  @Test
  void shouldStartAtFirstRecordAtOrAfterTimestamp() throws Exception {
    long base = 1_700_000_000_000L;
    produce(0, 5, base);
    channel.basicQos(10);
    BlockingQueue<Received> received = consume(new Date(base + 15_000), true);
    assertThat(take(received, 3)).extracting(Received::offset).containsExactly(2L, 3L, 4L);
  }

  @Test
  void shouldDeliverExactlyPrefetchToConsumerThatNeverAcks() throws Exception {
    produce(0, 20);
    channel.basicQos(5);
    BlockingQueue<Received> received = consume("first", false);
    assertThat(take(received, 5)).extracting(Received::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(quietFor(received, 500)).isTrue();
  }

  @Test
  void shouldNotRedeliverRejectedDeliveries() throws Exception {
    produce(0, 3);
    channel.basicQos(1);
    BlockingQueue<Received> received = consume("first", false);
    Received first = take(received, 1).get(0);
    channel.basicNack(first.tag(), false, true);
    Received second = take(received, 1).get(0);
    assertThat(second.offset()).isEqualTo(1L);
    assertThat(second.redelivered()).isFalse();
    channel.basicReject(second.tag(), true);
    assertThat(take(received, 1).get(0).offset()).isEqualTo(2L);
  }

  @Test
  void shouldRefuseConsumerWithoutPrefetch() throws Exception {
    produce(0, 1);
    assertThatThrownBy(() -> consume("first", true))
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              AMQP.Channel.Close close = (AMQP.Channel.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(406);
              assertThat(close.getReplyText())
                  .isEqualTo(
                      "PRECONDITION_FAILED - consumer prefetch count is not set for stream queue '"
                          + topic
                          + "' in vhost '/'");
            });
  }

  @Test
  void shouldRefuseAutomaticAcknowledgement() throws Exception {
    produce(0, 1);
    channel.basicQos(10);
    assertThatThrownBy(
            () -> channel.basicConsume(topic, true, Map.of(), new DefaultConsumer(channel)))
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              AMQP.Connection.Close close = (AMQP.Connection.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(540);
              assertThat(close.getReplyText())
                  .isEqualTo(
                      "NOT_IMPLEMENTED - automatic acknowledgement not supported by stream queue '"
                          + topic
                          + "' in vhost '/'");
            });
  }

  @Test
  void shouldRefuseBasicGet() throws Exception {
    produce(0, 1);
    assertThatThrownBy(() -> channel.basicGet(topic, false))
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              AMQP.Connection.Close close = (AMQP.Connection.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(540);
              assertThat(close.getReplyText())
                  .isEqualTo(
                      "NOT_IMPLEMENTED - basic.get not supported by stream queues queue '"
                          + topic
                          + "' in vhost '/'");
            });
  }

  @Test
  void shouldCancelConsumerWhenTopicIsDeleted() throws Exception {
    produce(0, 1);
    channel.basicQos(10);
    CountDownLatch cancelled = new CountDownLatch(1);
    channel.basicConsume(
        topic,
        false,
        Map.of("x-stream-offset", "first"),
        new DefaultConsumer(channel) {
          @Override
          public void handleCancel(String consumerTag) {
            cancelled.countDown();
          }
        });
    try (var admin = broker.admin()) {
      admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
    }
    assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(channel.isOpen()).isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A header value as text, whether it came as a long string or as bytes. */
  private static String text(Object value) {
    return value instanceof byte[] raw
        ? new String(raw, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }
}
