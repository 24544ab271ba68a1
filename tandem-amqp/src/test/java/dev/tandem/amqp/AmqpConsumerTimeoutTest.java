package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ's consumer timeout ({@code consumer_timeout}, 30 minutes by default; RabbitMQ's
 * "Consumers" guide, "Delivery Acknowledgement Timeout"): a channel holding a delivery
 * unacknowledged for longer is closed with 406 PRECONDITION_FAILED, and the delivery goes back to
 * its queue, redelivered. Here the timeout is 300 ms.
 */
class AmqpConsumerTimeoutTest {
  private static final long TIMEOUT_MS = 300;
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker =
        new AmqpTestBroker(dir, AmqpSettings.DEFAULTS.withConsumerTimeoutMillis(TIMEOUT_MS))
            .start();
    connection = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  private static byte[] text(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldCloseChannelHoldingADeliveryPastTheTimeoutAndRequeueIt() throws Exception {
    Channel setup = connection.createChannel();
    setup.queueDeclare("slow", false, false, false, null);
    setup.basicPublish("", "slow", null, text("work"));

    Channel holder = connection.createChannel();
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    holder.addShutdownListener(closed::complete);
    CompletableFuture<String> delivered = new CompletableFuture<>();
    holder.basicConsume(
        "slow",
        false,
        new DefaultConsumer(holder) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            delivered.complete(new String(body, StandardCharsets.UTF_8));
          }
        });
    assertThat(delivered.get(5, TimeUnit.SECONDS)).isEqualTo("work");

    ShutdownSignalException signal = closed.get(5, TimeUnit.SECONDS);
    assertThat(signal.isHardError()).isFalse();
    AMQP.Channel.Close close = (AMQP.Channel.Close) signal.getReason();
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText())
        .startsWith(
            "PRECONDITION_FAILED - delivery acknowledgement on channel "
                + holder.getChannelNumber()
                + " timed out. Timeout value used: 300 ms.");
    assertThat(connection.isOpen()).isTrue();

    GetResponse again = setup.basicGet("slow", true);
    assertThat(again).isNotNull();
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
  }

  @Test
  void shouldLeaveChannelsThatAcknowledgeInTimeAndAutoAckConsumersAlone() throws Exception {
    Channel channel = connection.createChannel();
    channel.queueDeclare("prompt", false, false, false, null);
    for (int i = 0; i < 5; i++) {
      channel.basicPublish("", "prompt", null, text("m" + i));
      GetResponse got = channel.basicGet("prompt", false);
      Thread.sleep(TIMEOUT_MS / 3);
      channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
    }
    Channel autoAck = connection.createChannel();
    channel.basicPublish("", "prompt", null, text("auto"));
    assertThat(autoAck.basicGet("prompt", true)).isNotNull();
    Thread.sleep(TIMEOUT_MS * 3);
    assertThat(channel.isOpen()).isTrue();
    assertThat(autoAck.isOpen()).isTrue();
  }
}
