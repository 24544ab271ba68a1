package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priority queues (x-max-priority) with the Java client, as RabbitMQ's classic queues serve them.
 */
class AmqpPriorityQueueTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;
  private Channel channel;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    connection = broker.connect();
    channel = connection.createChannel();
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  private void publish(String queue, String body, Integer priority) throws IOException {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().priority(priority).build();
    channel.basicPublish("", queue, properties, body.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> drain(String queue) throws IOException {
    List<String> bodies = new ArrayList<>();
    for (GetResponse next = channel.basicGet(queue, true);
        next != null;
        next = channel.basicGet(queue, true)) {
      bodies.add(new String(next.getBody(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private void assertRefused(Map<String, Object> arguments, String text) {
    Channel other;
    try {
      other = connection.createChannel();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> other.queueDeclare("refused", true, false, false, arguments))
        .isInstanceOf(IOException.class)
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              AMQP.Channel.Close close = (AMQP.Channel.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(406);
              assertThat(close.getReplyText()).contains(text);
            });
  }

  @Test
  void shouldDeliverHigherPrioritiesFirstToAConsumerWithPrefetchOne() throws Exception {
    channel.queueDeclare("jobs", true, false, false, Map.of("x-max-priority", 10));
    publish("jobs", "p1", 1);
    publish("jobs", "p5", 5);
    publish("jobs", "p9-first", 9);
    publish("jobs", "none", null);
    publish("jobs", "p9-second", 9);
    assertThat(channel.queueDeclarePassive("jobs").getMessageCount()).isEqualTo(5);

    Channel consumer = connection.createChannel();
    consumer.basicQos(1);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    consumer.basicConsume(
        "jobs",
        false,
        new DefaultConsumer(consumer) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            received.add(new String(body, StandardCharsets.UTF_8) + "@" + properties.getPriority());
            consumer.basicAck(envelope.getDeliveryTag(), false);
          }
        });

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String next = received.poll(5, TimeUnit.SECONDS);
      assertThat(next).as("delivery %d", i + 1).isNotNull();
      order.add(next);
    }
    assertThat(order).containsExactly("p9-first@9", "p9-second@9", "p5@5", "p1@1", "none@null");
  }

  @Test
  void shouldGetTheHighestPriorityAndCountAPriorityAboveTheMaximumAsTheMaximum() throws Exception {
    channel.queueDeclare("jobs", false, false, false, Map.of("x-max-priority", 3));
    publish("jobs", "p2", 2);
    publish("jobs", "p200", 200);
    publish("jobs", "p3", 3);
    publish("jobs", "none", null);

    GetResponse first = channel.basicGet("jobs", true);
    assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("p200");
    assertThat(first.getProps().getPriority()).isEqualTo(200);
    assertThat(first.getMessageCount()).isEqualTo(3);
    assertThat(drain("jobs")).containsExactly("p3", "p2", "none");
  }

  @Test
  void shouldRefuseAnXMaxPriorityRabbitMqRefuses() throws Exception {
    assertRefused(Map.of("x-max-priority", 256), "max_value_exceeded");
    assertRefused(Map.of("x-max-priority", -1), "value_negative");
    assertRefused(Map.of("x-max-priority", "10"), "invalid arg 'x-max-priority'");
    assertRefused(
        Map.of("x-max-priority", 10, "x-queue-type", "quorum"), "invalid arg 'x-max-priority'");

    channel.queueDeclare("zero", false, false, false, Map.of("x-max-priority", 0));
    channel.queueDeclare("largest", false, false, false, Map.of("x-max-priority", 255));
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void shouldRefuseARedeclarationWithAnotherXMaxPriority() throws Exception {
    channel.queueDeclare("jobs", true, false, false, Map.of("x-max-priority", 10));

    assertRefusedRedeclaration(Map.of("x-max-priority", 5));
    assertRefusedRedeclaration(Map.of());
    Channel again = connection.createChannel();
    again.queueDeclare("jobs", true, false, false, Map.of("x-max-priority", 10L));
    again.queueDeclare("jobs", true, false, false, Map.of("x-max-priority", (short) 10));
  }

  private void assertRefusedRedeclaration(Map<String, Object> arguments) throws IOException {
    Channel other = connection.createChannel();
    assertThatThrownBy(() -> other.queueDeclare("jobs", true, false, false, arguments))
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              AMQP.Channel.Close close = (AMQP.Channel.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(406);
              assertThat(close.getReplyText()).contains("inequivalent arg 'x-max-priority'");
            });
  }

  @Test
  void shouldDropTheNextMessageToDeliverWhenFullAsRabbitMqDoes() throws Exception {
    channel.exchangeDeclare("dlx", "fanout");
    channel.queueDeclare("dead", false, false, false, null);
    channel.queueBind("dead", "dlx", "");
    channel.queueDeclare(
        "jobs",
        false,
        false,
        false,
        Map.of("x-max-priority", 10, "x-max-length", 2, "x-dead-letter-exchange", "dlx"));
    publish("jobs", "low", 1);
    publish("jobs", "high", 9);
    publish("jobs", "middle", 5);

    GetResponse dropped = AmqpDeadLetteringTest.awaitGet(channel, "dead");
    assertThat(new String(dropped.getBody(), StandardCharsets.UTF_8)).isEqualTo("high");
    assertThat(dropped.getProps().getPriority()).isEqualTo(9);
    assertThat(drain("jobs")).containsExactly("middle", "low");
  }

  @Test
  void shouldOrderDeadLetteredMessagesByTheirPriority() throws Exception {
    channel.exchangeDeclare("dlx", "fanout");
    channel.queueDeclare("dead", false, false, false, Map.of("x-max-priority", 10));
    channel.queueBind("dead", "dlx", "");
    channel.queueDeclare("work", false, false, false, Map.of("x-dead-letter-exchange", "dlx"));
    publish("work", "low", 1);
    publish("work", "high", 9);
    for (int i = 0; i < 2; i++) {
      GetResponse next = channel.basicGet("work", false);
      channel.basicReject(next.getEnvelope().getDeliveryTag(), false);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (channel.queueDeclarePassive("dead").getMessageCount() < 2
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(drain("dead")).containsExactly("high", "low");
  }
}
