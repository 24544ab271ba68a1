package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead-letter exchanges (x-dead-letter-exchange, -routing-key) with the Java client. */
class AmqpDeadLetteringTest {
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

  /** Polls basic.get for up to 5 s. */
  static GetResponse awaitGet(Channel channel, String queue) throws Exception {
    for (int i = 0; i < 100; i++) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) {
        return response;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing arrived in " + queue + " within 5 s");
  }

  static String text(Object value) {
    return value == null ? null : value.toString();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> deaths(GetResponse response) {
    return (List<Map<String, Object>>) response.getProps().getHeaders().get("x-death");
  }

  @Test
  void shouldDeadLetterRejectedMessageWithXDeathAsRabbitMqWritesIt() throws Exception {
    channel.queueDeclare("work", false, false, false, Map.of("x-dead-letter-exchange", "dlx"));
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .contentType("text/plain")
            .headers(Map.of("app", "kept"))
            .expiration("60000")
            .build();
    channel.basicPublish("", "work", properties, "rejected".getBytes(StandardCharsets.UTF_8));
    Channel consumer = connection.createChannel();
    GetResponse toReject = consumer.basicGet("work", false);
    consumer.basicReject(toReject.getEnvelope().getDeliveryTag(), false);

    GetResponse dead = awaitGet(channel, "dead");
    assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("rejected");
    assertThat(dead.getEnvelope().getExchange()).isEqualTo("dlx");
    assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo("work");
    assertThat(dead.getProps().getContentType()).isEqualTo("text/plain");
    assertThat(dead.getProps().getExpiration()).isNull();
    Map<String, Object> headers = dead.getProps().getHeaders();
    assertThat(text(headers.get("app"))).isEqualTo("kept");
    assertThat(text(headers.get("x-first-death-reason"))).isEqualTo("rejected");
    assertThat(text(headers.get("x-first-death-queue"))).isEqualTo("work");
    assertThat(text(headers.get("x-first-death-exchange"))).isEmpty();
    List<Map<String, Object>> deaths = deaths(dead);
    assertThat(deaths).hasSize(1);
    Map<String, Object> death = deaths.get(0);
    assertThat(death)
        .containsOnlyKeys(
            "count", "exchange", "original-expiration", "queue", "reason", "routing-keys", "time");
    assertThat(death.get("count")).isEqualTo(1L);
    assertThat(text(death.get("reason"))).isEqualTo("rejected");
    assertThat(text(death.get("queue"))).isEqualTo("work");
    assertThat(text(death.get("exchange"))).isEmpty();
    assertThat(text(death.get("original-expiration"))).isEqualTo("60000");
    assertThat((List<?>) death.get("routing-keys")).hasSize(1);
    assertThat(text(((List<?>) death.get("routing-keys")).get(0))).isEqualTo("work");
    assertThat(death.get("time")).isInstanceOf(Date.class);
    assertThat(((Date) death.get("time")).getTime())
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(10_000L));
  }

  @Test
  void shouldDeadLetterNackedMessageWithTheDeadLetterRoutingKey() throws Exception {
    channel.exchangeDeclare("dlx.direct", "direct");
    channel.queueDeclare("parked", false, false, false, null);
    channel.queueBind("parked", "dlx.direct", "park");
    channel.queueDeclare(
        "work",
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "dlx.direct", "x-dead-letter-routing-key", "park"));
    channel.basicPublish("", "work", null, "nacked".getBytes(StandardCharsets.UTF_8));
    Channel consumer = connection.createChannel();
    GetResponse delivery = consumer.basicGet("work", false);
    consumer.basicNack(delivery.getEnvelope().getDeliveryTag(), false, false);

    GetResponse dead = awaitGet(channel, "parked");
    assertThat(dead.getEnvelope().getRoutingKey()).isEqualTo("park");
    assertThat(text(deaths(dead).get(0).get("reason"))).isEqualTo("rejected");
    assertThat(deaths(dead).get(0)).doesNotContainKey("original-expiration");
  }

  /**
   * A quorum queue's x-delivery-limit (RabbitMQ's "poison message handling"): deliveries carry
   * x-delivery-count, the returns so far (a requeueing nack, or its channel closing); the return
   * past the limit dead-letters the message, reason delivery_limit, without that header - as
   * RabbitMQ 3.10 did for the same calls.
   */
  @Test
  void shouldDeadLetterQuorumMessageReturnedPastItsDeliveryLimit() throws Exception {
    channel.queueDeclare(
        "poison",
        true,
        false,
        false,
        Map.of("x-queue-type", "quorum", "x-delivery-limit", 2, "x-dead-letter-exchange", "dlx"));
    channel.basicPublish("", "poison", null, "bad".getBytes(StandardCharsets.UTF_8));
    Channel consumer = connection.createChannel();
    for (long count = 0; count <= 2; count++) {
      GetResponse delivery = consumer.basicGet("poison", false);
      assertThat(delivery).isNotNull();
      assertThat(delivery.getProps().getHeaders()).containsEntry("x-delivery-count", count);
      assertThat(delivery.getEnvelope().isRedeliver()).isEqualTo(count > 0);
      if (count < 2) {
        consumer.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
      } else {
        consumer.close();
      }
    }
    GetResponse dead = awaitGet(channel, "dead");
    assertThat(text(deaths(dead).get(0).get("reason"))).isEqualTo("delivery_limit");
    assertThat(dead.getProps().getHeaders()).doesNotContainKey("x-delivery-count");
    assertThat(channel.basicGet("poison", true)).isNull();
  }

  @Test
  void shouldRefuseDeliveryLimitOnClassicQueuesAsRabbitMq() {
    ChannelErrors.assertChannelError(
        () -> channel.queueDeclare("classic", false, false, false, Map.of("x-delivery-limit", 1)),
        406,
        "invalid arg 'x-delivery-limit' for queue 'classic' in vhost '/' of queue type"
            + " rabbit_classic_queue");
  }

  @Test
  void shouldDeadLetterExpiredMessagesWithReasonExpired() throws Exception {
    channel.queueDeclare(
        "work", false, false, false, Map.of("x-dead-letter-exchange", "dlx", "x-message-ttl", 50));
    channel.basicPublish("", "work", null, "expired".getBytes(StandardCharsets.UTF_8));

    GetResponse dead = awaitGet(channel, "dead");
    assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("expired");
    assertThat(text(deaths(dead).get(0).get("reason"))).isEqualTo("expired");
    assertThat(text(dead.getProps().getHeaders().get("x-first-death-reason"))).isEqualTo("expired");
    assertThat(channel.queueDeclarePassive("work").getMessageCount()).isZero();
  }

  @Test
  void shouldCountRepeatedDeathsInOneEntryAndKeepTheFirstDeathHeaders() throws Exception {
    // work --rejected--> dlx --> dead --expired (TTL)--> "" with key "work" --> work, rejected
    // again
    channel.queueDelete("dead");
    channel.queueDeclare(
        "dead",
        false,
        false,
        false,
        Map.of(
            "x-message-ttl", 20,
            "x-dead-letter-exchange", "",
            "x-dead-letter-routing-key", "work"));
    channel.queueBind("dead", "dlx", "");
    channel.queueDeclare("work", false, false, false, Map.of("x-dead-letter-exchange", "dlx"));
    channel.basicPublish("", "work", null, "twice".getBytes(StandardCharsets.UTF_8));
    for (int round = 0; round < 2; round++) {
      GetResponse delivery = null;
      for (int i = 0; i < 100 && delivery == null; i++) {
        delivery = channel.basicGet("work", false);
        Thread.sleep(delivery == null ? 50 : 0);
      }
      assertThat(delivery).as("round %d", round).isNotNull();
      if (round == 1) {
        List<Map<String, Object>> deaths = deaths(delivery);
        assertThat(deaths).hasSize(2);
        assertThat(text(deaths.get(0).get("queue"))).isEqualTo("dead");
        assertThat(text(deaths.get(0).get("reason"))).isEqualTo("expired");
        assertThat(text(deaths.get(1).get("queue"))).isEqualTo("work");
        assertThat(deaths.get(1).get("count")).isEqualTo(1L);
        assertThat(text(delivery.getProps().getHeaders().get("x-first-death-queue")))
            .isEqualTo("work");
      }
      channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
    }
    GetResponse third = null;
    for (int i = 0; i < 100 && third == null; i++) {
      third = channel.basicGet("work", true);
      Thread.sleep(third == null ? 50 : 0);
    }
    assertThat(third).isNotNull();
    List<Map<String, Object>> deaths = deaths(third);
    assertThat(deaths).hasSize(2);
    assertThat(text(deaths.get(0).get("queue"))).isEqualTo("dead");
    assertThat(deaths.get(0).get("count")).isEqualTo(2L);
    assertThat(deaths.get(1).get("count")).isEqualTo(2L);
    assertThat(text(third.getProps().getHeaders().get("x-first-death-reason")))
        .isEqualTo("rejected");
  }

  @Test
  void shouldDropAnExpiryCycleWithoutRejectionAsRabbitMqDoes() throws Exception {
    channel.queueDeclare(
        "loop",
        false,
        false,
        false,
        Map.of(
            "x-message-ttl",
            20,
            "x-dead-letter-exchange",
            "",
            "x-dead-letter-routing-key",
            "loop"));
    channel.basicPublish("", "loop", null, "cycles".getBytes(StandardCharsets.UTF_8));
    Thread.sleep(500);
    assertThat(channel.queueDeclarePassive("loop").getMessageCount()).isZero();
    assertThat(broker.node().vhosts().vhost("/").orElseThrow().deadLettersDropped()).isEqualTo(1);
  }

  @Test
  void shouldDropDeadLettersRoutedNowhereOrToAMissingExchange() throws Exception {
    channel.queueDeclare("work", false, false, false, Map.of("x-dead-letter-exchange", "missing"));
    channel.basicPublish("", "work", null, new byte[0]);
    GetResponse delivery = channel.basicGet("work", false);
    channel.basicReject(delivery.getEnvelope().getDeliveryTag(), false);
    for (int i = 0; i < 100; i++) {
      if (broker.node().vhosts().vhost("/").orElseThrow().deadLettersDropped() == 1) {
        break;
      }
      Thread.sleep(20);
    }
    assertThat(broker.node().vhosts().vhost("/").orElseThrow().deadLettersDropped()).isEqualTo(1);
    assertThat(channel.queueDeclarePassive("work").getMessageCount()).isZero();
    assertThat(channel.queueDeclarePassive("dead").getMessageCount()).isZero();
  }

  /**
   * RabbitMQ's dead-lettering of a message published with CC keys: republished with its own key and
   * its CC keys, which x-death lists; with x-dead-letter-routing-key, with that key alone and
   * without the CC header.
   */
  @Test
  void shouldDeadLetterWithCcKeysUnlessARoutingKeyReplacesThem() throws Exception {
    channel.exchangeDeclare("dlx-direct", "direct");
    for (String queue : List.of("by-key", "by-cc", "by-dlrk")) {
      channel.queueDeclare(queue, false, false, false, null);
    }
    channel.queueBind("by-key", "dlx-direct", "work-cc");
    channel.queueBind("by-cc", "dlx-direct", "copy");
    channel.queueBind("by-dlrk", "dlx-direct", "replaced");
    channel.queueDeclare(
        "work-cc", false, false, false, Map.of("x-dead-letter-exchange", "dlx-direct"));
    channel.queueDeclare(
        "work-dlrk",
        false,
        false,
        false,
        Map.of("x-dead-letter-exchange", "dlx-direct", "x-dead-letter-routing-key", "replaced"));
    AMQP.BasicProperties withCc =
        new AMQP.BasicProperties.Builder().headers(Map.of("CC", List.of("copy"))).build();
    channel.basicPublish("", "work-cc", withCc, "a".getBytes(StandardCharsets.UTF_8));
    channel.basicPublish("", "work-dlrk", withCc, "b".getBytes(StandardCharsets.UTF_8));
    for (String queue : List.of("work-cc", "work-dlrk")) {
      GetResponse got = channel.basicGet(queue, false);
      channel.basicReject(got.getEnvelope().getDeliveryTag(), false);
    }

    GetResponse byKey = awaitGet(channel, "by-key");
    GetResponse byCc = awaitGet(channel, "by-cc");
    GetResponse byDlrk = awaitGet(channel, "by-dlrk");
    assertThat(new String(byKey.getBody(), StandardCharsets.UTF_8)).isEqualTo("a");
    assertThat(new String(byCc.getBody(), StandardCharsets.UTF_8)).isEqualTo("a");
    assertThat(deaths(byKey).get(0).get("routing-keys").toString()).isEqualTo("[work-cc, copy]");
    assertThat(byKey.getProps().getHeaders()).containsKey("CC");
    assertThat(new String(byDlrk.getBody(), StandardCharsets.UTF_8)).isEqualTo("b");
    assertThat(byDlrk.getProps().getHeaders()).doesNotContainKey("CC");
    assertThat(channel.basicGet("by-cc", true)).as("b did not go to its CC key").isNull();
  }
}
