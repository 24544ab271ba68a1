package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import dev.tandem.server.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exchanges, queues and bindings imported from a definitions file that RabbitMQ 3.10 exported
 * ({@code rabbitmqctl export_definitions}) after declaring: a topic exchange {@code orders} routing
 * {@code order.eu.*} to classic queue {@code orders.eu} (x-max-length 1000, x-message-ttl 60000,
 * x-dead-letter-exchange {@code orders.dlx}), {@code #} to quorum queue {@code orders.log} and
 * {@code order.#} to fanout exchange {@code events.fan}, which feeds stream {@code events.stream}
 * (x-max-age 7D); a headers exchange {@code audit} (alternate-exchange {@code orders.dlx}) binding
 * priority queue {@code audit.all} with x-match any on kind=audit, level=3; fanout {@code
 * orders.dlx} to {@code orders.dead}; and user {@code sensor-7} (password {@code p4ss}) with topic
 * permissions: on {@code amq.topic} write {@code ^sensors\.{username}\.} and read {@code
 * ^sensors\.}, on {@code orders} write {@code ""} and read {@code order\.eu\.}; and policy {@code
 * pol-test} on queues matching {@code ^pol\.}: max-length 2, overflow reject-publish, message-ttl
 * 600000, dead-letter-exchange pol-dlx-policy; policy {@code ae-test} on exchanges matching {@code
 * ^ae\.}: alternate-exchange ae.unrouted. The Java client then finds that topology, and those
 * refusals, as on the RabbitMQ that exported it (the same publishes and bindings were run against
 * both).
 */
class DefinitionsTopologyImportTest {
  @TempDir Path dir;
  private Path definitions;
  private InProcessBroker broker;

  @BeforeEach
  void start() throws Exception {
    definitions = dir.resolve("definitions.json");
    try (InputStream in =
        DefinitionsTopologyImportTest.class.getResourceAsStream(
            "/rabbitmq-definitions-topology.json")) {
      Files.copy(in, definitions);
    }
    broker =
        new InProcessBroker(
                dir.resolve("data"), Map.of(Setting.LOAD_DEFINITIONS, definitions.toString()))
            .start();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static byte[] text(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static String take(Channel channel, String queue) throws IOException {
    GetResponse got = channel.basicGet(queue, true);
    return got == null ? null : new String(got.getBody(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldRouteThroughImportedExchangesBindingsAndQueues() throws Exception {
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.basicPublish("orders", "order.eu.17", null, text("eu order"));
      channel.basicPublish("orders", "order.us.4", null, text("us order"));
      channel.basicPublish(
          "audit",
          "",
          new AMQP.BasicProperties.Builder().headers(Map.of("level", 3)).build(),
          text("audited"));
      channel.basicPublish(
          "audit",
          "",
          new AMQP.BasicProperties.Builder().headers(Map.of("level", 1)).build(),
          text("unmatched"));
      channel.waitForConfirmsOrDie(5_000);

      assertThat(take(channel, "orders.eu")).isEqualTo("eu order");
      assertThat(take(channel, "orders.eu")).isNull();
      assertThat(take(channel, "orders.log")).isEqualTo("eu order");
      assertThat(take(channel, "orders.log")).isEqualTo("us order");
      assertThat(take(channel, "audit.all")).isEqualTo("audited");
      assertThat(take(channel, "orders.dead"))
          .as("what audit does not route goes to its alternate exchange")
          .isEqualTo("unmatched");
      assertThat(channel.queueDeclarePassive("events.stream").getMessageCount())
          .as("exchange-to-exchange binding into the stream")
          .isEqualTo(2);
    }
  }

  /** The arguments orders.eu was exported with, but for its max-length. */
  private static Map<String, Object> ordersEu(int maxLength) {
    return Map.of(
        "x-max-length", maxLength, "x-message-ttl", 60000, "x-dead-letter-exchange", "orders.dlx");
  }

  @Test
  void shouldHaveDeclaredQueuesWithTheirArguments() throws Exception {
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("orders.eu", true, false, false, ordersEu(1000));
      channel.queueDeclare("orders.log", true, false, false, Map.of("x-queue-type", "quorum"));
      assertThatThrownBy(() -> channel.queueDeclare("orders.eu", true, false, false, ordersEu(5)))
          .isInstanceOf(IOException.class)
          .cause()
          .isInstanceOfSatisfying(
              ShutdownSignalException.class,
              e -> assertThat(e.getReason()).isInstanceOf(AMQP.Channel.Close.class))
          .hasMessageContaining("inequivalent arg 'x-max-length'");
    }
  }

  /** Runs one action on a fresh channel of user sensor-7; returns null or the 403 reply text. */
  private String asSensor(ChannelAction action) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(broker.amqpPort());
    factory.setUsername("sensor-7");
    factory.setPassword("p4ss");
    try (Connection connection = factory.newConnection()) {
      Channel channel = connection.createChannel();
      try {
        action.run(channel);
        channel.basicQos(0);
        return null;
      } catch (IOException | AlreadyClosedException e) {
        ShutdownSignalException signal =
            e instanceof AlreadyClosedException closed
                ? closed
                : (ShutdownSignalException) e.getCause();
        AMQP.Channel.Close close = (AMQP.Channel.Close) signal.getReason();
        assertThat(close.getReplyCode()).isEqualTo(403);
        return close.getReplyText();
      }
    }
  }

  private interface ChannelAction {
    void run(Channel channel) throws IOException;
  }

  @Test
  void shouldApplyTopicPermissionsToPublishesAndBindingsOnTopicExchanges() throws Exception {
    try (Connection connection = broker.amqp()) {
      connection.createChannel().queueDeclare("sensor.q", false, false, false, null);
    }
    assertThat(
            asSensor(ch -> ch.basicPublish("amq.topic", "sensors.sensor-7.temp", null, text("t"))))
        .as("{username} is the user's name")
        .isNull();
    assertThat(
            asSensor(ch -> ch.basicPublish("amq.topic", "sensors.sensor-8.temp", null, text("t"))))
        .isEqualTo(
            "ACCESS_REFUSED - access to topic 'sensors.sensor-8.temp' in exchange 'amq.topic'"
                + " in vhost '/' refused for user 'sensor-7'");
    assertThat(asSensor(ch -> ch.basicPublish("orders", "order.eu.1", null, text("o"))))
        .contains("access to topic 'order.eu.1' in exchange 'orders'");
    assertThat(asSensor(ch -> ch.basicPublish("orders", "", null, text("o"))))
        .as("the empty expression is ^$")
        .isNull();
    assertThat(asSensor(ch -> ch.basicPublish("amq.direct", "anything", null, text("d"))))
        .as("only topic exchanges are restricted")
        .isNull();
    assertThat(asSensor(ch -> ch.queueBind("sensor.q", "orders", "order.eu.*"))).isNull();
    assertThat(asSensor(ch -> ch.queueBind("sensor.q", "orders", "order.us.*")))
        .contains("access to topic 'order.us.*' in exchange 'orders'");
    assertThat(asSensor(ch -> ch.queueUnbind("sensor.q", "orders", "order.eu.*"))).isNull();
    assertThat(asSensor(ch -> ch.queueBind("sensor.q", "amq.topic", "other.#")))
        .contains("access to topic 'other.#' in exchange 'amq.topic'");
    assertThat(asSensor(ch -> ch.exchangeBind("events.fan", "orders", "order.us.#")))
        .as("exchange-to-exchange bindings from a topic exchange too")
        .contains("access to topic 'order.us.#' in exchange 'orders'");
  }

  /** Publishes ten messages with confirms; returns how many were confirmed (not nacked). */
  private static int publishTen(Channel channel, String queue) throws Exception {
    channel.confirmSelect();
    java.util.concurrent.atomic.AtomicInteger nacked =
        new java.util.concurrent.atomic.AtomicInteger();
    channel.addConfirmListener((tag, multiple) -> {}, (tag, multiple) -> nacked.incrementAndGet());
    for (int i = 0; i < 10; i++) {
      channel.basicPublish("", queue, null, text("m" + i));
    }
    channel.waitForConfirms(5_000);
    return 10 - nacked.get();
  }

  @Test
  void shouldApplyImportedPolicyAsRabbitMqDoesAlsoToQueuesRecoveredAtRestart() throws Exception {
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("pol.a", true, false, false, Map.of("x-max-length", 5));
      channel.queueDeclare("pol.c", false, false, false, Map.of("x-overflow", "drop-head"));
      channel.queueDeclare("nopol.e", false, false, false, null);
      assertThat(publishTen(channel, "pol.a")).as("the lower max-length, 2, holds").isEqualTo(2);
      assertThat(publishTen(channel, "pol.c")).as("the queue's own overflow holds").isEqualTo(10);
      assertThat(channel.queueDeclarePassive("pol.c").getMessageCount()).isEqualTo(2);
      assertThat(take(channel, "pol.c")).isEqualTo("m8");
      assertThat(publishTen(channel, "nopol.e")).isEqualTo(10);
      channel.queuePurge("pol.a");
    }
    broker.restart();
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("pol.a", true, false, false, Map.of("x-max-length", 5));
      assertThat(publishTen(channel, "pol.a")).isEqualTo(2);
    }
  }

  @Test
  void shouldGiveExchangesTheAlternateExchangeOfTheirPolicyUnlessDeclaredWithOne()
      throws Exception {
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.exchangeDeclare("ae.unrouted", "fanout");
      channel.queueDeclare("ae.caught", false, false, false, null);
      channel.queueBind("ae.caught", "ae.unrouted", "");
      channel.exchangeDeclare("own.ae", "fanout");
      channel.queueDeclare("own.caught", false, false, false, null);
      channel.queueBind("own.caught", "own.ae", "");
      channel.exchangeDeclare("ae.in", "direct");
      channel.exchangeDeclare(
          "ae.own", "direct", false, false, Map.of("alternate-exchange", "own.ae"));
      channel.confirmSelect();
      for (String exchange : new String[] {"ae.in", "ae.own", "noae.in"}) {
        if (exchange.equals("noae.in")) {
          channel.exchangeDeclare(exchange, "direct");
        }
        channel.basicPublish(exchange, "nowhere", null, text(exchange));
      }
      channel.waitForConfirmsOrDie(5_000);
      assertThat(take(channel, "ae.caught")).isEqualTo("ae.in");
      assertThat(take(channel, "ae.caught")).isNull();
      assertThat(take(channel, "own.caught"))
          .as("the exchange's own argument wins")
          .isEqualTo("ae.own");
      assertThat(take(channel, "own.caught")).isNull();
    }
  }

  @Test
  void shouldKeepMessagesWhenTheSameDefinitionsAreImportedAgainAtRestart() throws Exception {
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.confirmSelect();
      channel.basicPublish(
          "orders", "order.eu.1", MessageProperties.PERSISTENT_TEXT_PLAIN, text("kept"));
      channel.waitForConfirmsOrDie(5_000);
    }
    broker.restart();
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      assertThat(take(channel, "orders.eu")).isEqualTo("kept");
    }
  }

  @Test
  void shouldRefuseToStartWhenDefinitionsDisagreeWithWhatExists() throws Exception {
    broker.close();
    String changed =
        Files.readString(definitions).replace("\"x-max-length\": 1000", "\"x-max-length\": 5");
    assertThat(changed).contains("\"x-max-length\": 5");
    Files.writeString(definitions, changed);
    assertThatThrownBy(() -> broker.start())
        .hasMessageContaining("queue 'orders.eu' in vhost '/'")
        .hasMessageContaining("inequivalent arg 'x-max-length'");
  }
}
