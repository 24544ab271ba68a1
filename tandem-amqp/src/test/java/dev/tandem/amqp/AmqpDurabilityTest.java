package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a broker restart on the same data directory. */
class AmqpDurabilityTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  @Test
  void shouldKeepDurableQueueAndPersistentMessagesAndRedeliverUnackedOnesAfterRestart()
      throws Exception {
    Connection before = broker.connect();
    try {
      Channel channel = before.createChannel();
      channel.exchangeDeclare("app", "topic", true);
      channel.queueDeclare("jobs", true, false, false, null);
      channel.queueBind("jobs", "app", "job.*");
      channel.confirmSelect();
      channel.basicPublish("app", "job.a", MessageProperties.PERSISTENT_BASIC, bytes("acked"));
      channel.basicPublish("app", "job.b", MessageProperties.PERSISTENT_BASIC, bytes("unacked"));
      channel.basicPublish("app", "job.c", MessageProperties.PERSISTENT_BASIC, bytes("untouched"));
      channel.basicPublish("app", "job.d", MessageProperties.BASIC, bytes("transient"));
      channel.waitForConfirmsOrDie(5_000);
      GetResponse acked = channel.basicGet("jobs", false);
      channel.basicAck(acked.getEnvelope().getDeliveryTag(), false);
      assertThat(text(channel.basicGet("jobs", false))).isEqualTo("unacked");
      broker.restart();
    } finally {
      before.abort();
    }

    try (Connection connection = broker.connect()) {
      Channel channel = connection.createChannel();
      GetResponse first = channel.basicGet("jobs", true);
      assertThat(text(first)).isEqualTo("unacked");
      assertThat(first.getEnvelope().isRedeliver()).isTrue();
      GetResponse second = channel.basicGet("jobs", true);
      assertThat(text(second)).isEqualTo("untouched");
      assertThat(second.getEnvelope().isRedeliver()).isFalse();
      assertThat(channel.basicGet("jobs", true)).isNull();
      channel.basicPublish("app", "job.e", null, bytes("still bound"));
      assertThat(text(channel.basicGet("jobs", true))).isEqualTo("still bound");
    }
  }

  @Test
  void shouldDropNonDurableQueuesAndExchangesOnRestart() throws Exception {
    try (Connection connection = broker.connect()) {
      Channel channel = connection.createChannel();
      channel.queueDeclare("transient-queue", false, false, false, null);
      channel.exchangeDeclare("transient-exchange", "fanout", false);
      channel.basicPublish("", "transient-queue", MessageProperties.PERSISTENT_BASIC, bytes("x"));
    }
    broker.restart();

    try (Connection connection = broker.connect()) {
      assertThatThrownBy(() -> connection.createChannel().queueDeclarePassive("transient-queue"))
          .cause()
          .hasMessageContaining("404");
      assertThatThrownBy(
              () -> connection.createChannel().exchangeDeclarePassive("transient-exchange"))
          .cause()
          .hasMessageContaining("404");
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(GetResponse response) {
    assertThat(response).isNotNull();
    return new String(response.getBody(), StandardCharsets.UTF_8);
  }
}
