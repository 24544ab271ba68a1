package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
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
 * orders.dlx} to {@code orders.dead}. The Java client then finds that topology as it would on the
 * RabbitMQ that exported it.
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

  @Test
  void shouldHaveDeclaredQueuesWithTheirArguments() throws Exception {
    try (Connection connection = broker.amqp()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(
          "orders.eu",
          true,
          false,
          false,
          Map.of(
              "x-max-length",
              1000,
              "x-message-ttl",
              60000,
              "x-dead-letter-exchange",
              "orders.dlx"));
      channel.queueDeclare("orders.log", true, false, false, Map.of("x-queue-type", "quorum"));
      assertThatThrownBy(
              () ->
                  channel.queueDeclare(
                      "orders.eu",
                      true,
                      false,
                      false,
                      Map.of(
                          "x-max-length",
                          5,
                          "x-message-ttl",
                          60000,
                          "x-dead-letter-exchange",
                          "orders.dlx")))
          .isInstanceOf(IOException.class)
          .cause()
          .isInstanceOfSatisfying(
              ShutdownSignalException.class,
              e -> assertThat(e.getReason()).isInstanceOf(AMQP.Channel.Close.class))
          .hasMessageContaining("inequivalent arg 'x-max-length'");
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
