package dev.tandem.amqp;

import static dev.tandem.amqp.AmqpDeadLetteringTest.awaitGet;
import static dev.tandem.amqp.AmqpDeadLetteringTest.deaths;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Length limits (x-max-length, x-max-length-bytes, x-overflow) with the Java client. */
class AmqpQueueLengthTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;
  private Channel channel;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    connection = broker.connect();
    channel = connection.createChannel();
    channel.exchangeDeclare("dlx", "fanout");
    channel.queueDeclare("dead", false, false, false, null);
    channel.queueBind("dead", "dlx", "");
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  private void publish(Channel on, String... bodies) throws Exception {
    for (String body : bodies) {
      on.basicPublish("", "limited", null, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private List<String> drain(String queue) throws Exception {
    List<String> bodies = new ArrayList<>();
    GetResponse response;
    while ((response = channel.basicGet(queue, true)) != null) {
      bodies.add(new String(response.getBody(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  @Test
  void shouldDropTheOldestReadyMessagesByDefaultAndDeadLetterThemAsMaxlen() throws Exception {
    channel.queueDeclare(
        "limited", false, false, false, Map.of("x-max-length", 2, "x-dead-letter-exchange", "dlx"));
    publish(channel, "m1", "m2", "m3", "m4");

    assertThat(channel.queueDeclarePassive("limited").getMessageCount()).isEqualTo(2);
    assertThat(drain("limited")).containsExactly("m3", "m4");
    GetResponse first = awaitGet(channel, "dead");
    assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("m1");
    assertThat(deaths(first).get(0).get("reason").toString()).isEqualTo("maxlen");
    assertThat(new String(awaitGet(channel, "dead").getBody(), StandardCharsets.UTF_8))
        .isEqualTo("m2");
  }

  @Test
  void shouldLimitTheBytesOfReadyMessageBodies() throws Exception {
    channel.queueDeclare("limited", false, false, false, Map.of("x-max-length-bytes", 10));
    publish(channel, "12345", "67890", "abc");

    assertThat(drain("limited")).containsExactly("67890", "abc");
  }

  @Test
  void shouldNackPublishesToAFullRejectPublishQueueWhenConfirming() throws Exception {
    channel.queueDeclare(
        "limited",
        false,
        false,
        false,
        Map.of("x-max-length", 1, "x-overflow", "reject-publish", "x-dead-letter-exchange", "dlx"));
    Channel confirming = connection.createChannel();
    confirming.confirmSelect();
    ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    ConcurrentSkipListSet<Long> nacked = new ConcurrentSkipListSet<>();
    confirming.addConfirmListener(
        (tag, multiple) -> acked.add(tag), (tag, multiple) -> nacked.add(tag));
    publish(confirming, "kept", "refused");
    confirming.waitForConfirms(5_000);

    assertThat(acked).containsExactly(1L);
    assertThat(nacked).containsExactly(2L);
    publish(channel, "dropped silently");
    assertThat(drain("limited")).containsExactly("kept");
    TimeUnit.MILLISECONDS.sleep(200);
    assertThat(drain("dead")).isEmpty();
    publish(channel, "room again");
    assertThat(drain("limited")).containsExactly("room again");
  }

  @Test
  void shouldDeadLetterPublishesRefusedByRejectPublishDlx() throws Exception {
    channel.queueDeclare(
        "limited",
        false,
        false,
        false,
        Map.of(
            "x-max-length",
            1,
            "x-overflow",
            "reject-publish-dlx",
            "x-dead-letter-exchange",
            "dlx"));
    Channel confirming = connection.createChannel();
    confirming.confirmSelect();
    publish(confirming, "kept", "refused");

    assertThat(confirming.waitForConfirms(5_000)).isFalse();
    assertThat(drain("limited")).containsExactly("kept");
    GetResponse dead = awaitGet(channel, "dead");
    assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("refused");
    assertThat(deaths(dead).get(0).get("reason").toString()).isEqualTo("maxlen");
  }

  @Test
  void shouldDeliverToAWaitingConsumerBeforeApplyingTheLimit() throws Exception {
    channel.queueDeclare("limited", false, false, false, Map.of("x-max-length", 0));
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    Channel consumer = connection.createChannel();
    consumer.basicConsume(
        "limited",
        true,
        (tag, delivery) -> received.add(new String(delivery.getBody(), StandardCharsets.UTF_8)),
        tag -> {});
    publish(channel, "m1", "m2");
    for (int i = 0; i < 100 && received.size() < 2; i++) {
      Thread.sleep(20);
    }
    assertThat(received).containsExactly("m1", "m2");
  }
}
