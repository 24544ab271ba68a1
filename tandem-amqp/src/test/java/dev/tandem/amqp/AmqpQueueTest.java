package dev.tandem.amqp;

import static dev.tandem.amqp.ChannelErrors.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue and exchange declarations (§1.6.2, §1.7.2) and channel errors with the Java client. */
class AmqpQueueTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    connection = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  @Test
  void shouldCloseOnlyTheChannelWithNotFoundAndKeepTheConnectionUsable() throws Exception {
    Channel channel = connection.createChannel();
    assertChannelError(
        () -> channel.exchangeDeclarePassive("missing"), 404, "no exchange 'missing'");
    assertThat(channel.isOpen()).isFalse();

    Channel publisher = connection.createChannel();
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    publisher.addShutdownListener(closed::complete);
    publisher.basicPublish("missing", "key", null, new byte[0]);
    AMQP.Channel.Close close = (AMQP.Channel.Close) closed.get(5, TimeUnit.SECONDS).getReason();
    assertThat(close.getReplyCode()).isEqualTo(404);
    assertThat(close.getClassId()).isEqualTo(60);
    assertThat(close.getMethodId()).isEqualTo(40);

    Channel next = connection.createChannel();
    assertThat(next.queueDeclare().getQueue()).startsWith("amq.gen-");
    assertThat(connection.isOpen()).isTrue();
    assertThat(broker.metrics().channelErrors()).isEqualTo(2);
  }

  @Test
  void shouldRefuseInequivalentRedeclarationWithPreconditionFailed() throws Exception {
    Channel channel = connection.createChannel();
    channel.queueDeclare("q", true, false, false, null);
    channel.exchangeDeclare("x", "direct", true);

    assertChannelError(
        () -> connection.createChannel().queueDeclare("q", false, false, false, null),
        406,
        "inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is"
            + " 'true'");
    assertChannelError(
        () -> connection.createChannel().queueDeclare("q", true, false, true, null),
        406,
        "inequivalent arg 'auto_delete' for queue 'q' in vhost '/': received 'true'");
    assertChannelError(
        () -> connection.createChannel().exchangeDeclare("x", "fanout", true),
        406,
        "inequivalent arg");
    assertThat(connection.createChannel().queueDeclare("q", true, false, false, null).getQueue())
        .isEqualTo("q");
  }

  @Test
  void shouldRefuseReservedNamesAndUnknownExchangeTypes() throws Exception {
    assertChannelError(
        () -> connection.createChannel().exchangeDeclare("amq.mine", "direct"),
        403,
        "reserved prefix");
    Channel channel = connection.createChannel();
    assertThatThrownBy(() -> channel.exchangeDeclare("odd", "no-such-type"))
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> assertThat(e.getMessage()).contains("reply-code=503"));
  }

  @Test
  void shouldLockExclusiveQueueAgainstOtherConnectionsAndDeleteItOnClose() throws Exception {
    Channel owner = connection.createChannel();
    String name = owner.queueDeclare("", false, true, false, null).getQueue();
    assertThat(name).startsWith("amq.gen-");

    try (Connection other = broker.connect()) {
      assertChannelError(
          () -> other.createChannel().queueDeclarePassive(name), 405, "exclusive access");
      assertChannelError(
          () -> other.createChannel().basicConsume(name, new DefaultConsumer(null)),
          405,
          "exclusive access");
      connection.close();
      assertChannelError(() -> other.createChannel().queueDeclarePassive(name), 404, "no queue");
    }
  }

  @Test
  void shouldSendBasicCancelToConsumersOfADeletedQueue() throws Exception {
    Channel channel = connection.createChannel();
    channel.queueDeclare("doomed", false, false, false, null);
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    channel.basicConsume(
        "doomed",
        new DefaultConsumer(channel) {
          @Override
          public void handleCancel(String consumerTag) {
            cancelled.complete(consumerTag);
          }
        });

    connection.createChannel().queueDelete("doomed");

    assertThat(cancelled.get(5, TimeUnit.SECONDS)).startsWith("amq.ctag-");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void shouldDeleteAutoDeleteQueueWhenItsLastConsumerIsCancelled() throws Exception {
    Channel channel = connection.createChannel();
    channel.queueDeclare("temporary", false, false, true, null);
    String first = channel.basicConsume("temporary", new DefaultConsumer(channel));
    String second = channel.basicConsume("temporary", new DefaultConsumer(channel));

    channel.basicCancel(first);
    assertThat(channel.queueDeclarePassive("temporary").getConsumerCount()).isEqualTo(1);
    channel.basicCancel(second);

    assertChannelError(() -> channel.queueDeclarePassive("temporary"), 404, "no queue");
  }

  @Test
  void shouldPurgeAndDeleteReturningMessageCounts() throws Exception {
    Channel channel = connection.createChannel();
    channel.queueDeclare("counted", false, false, false, null);
    for (int i = 0; i < 5; i++) {
      channel.basicPublish("", "counted", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(channel.queueDeclarePassive("counted").getMessageCount()).isEqualTo(5);
    assertThat(channel.queuePurge("counted").getMessageCount()).isEqualTo(5);
    channel.basicPublish("", "counted", null, new byte[1]);

    assertChannelError(
        () -> connection.createChannel().queueDelete("counted", false, true), 406, "not empty");
    assertThat(channel.queueDelete("counted").getMessageCount()).isEqualTo(1);
  }

  @Test
  void shouldRefuseWronglyTypedAndNotYetSupportedQueueArguments() throws Exception {
    assertChannelError(
        () -> declare(Map.of("x-max-length", "ten")), 406, "invalid arg 'x-max-length'");
    assertChannelError(
        () -> declare(Map.of("x-max-priority", 300)), 406, "invalid arg 'x-max-priority'");
    assertChannelError(
        () -> declare(Map.of("x-dead-letter-routing-key", "k")),
        406,
        "invalid arg 'x-dead-letter-routing-key'");
    assertChannelError(
        () -> declare(Map.of("x-max-in-memory-length", 10)), 406, "is not supported yet");
    assertChannelError(
        () -> declare(Map.of("x-queue-type", "stream")), 406, "invalid property 'non-durable'");
    assertChannelError(
        () -> declare(Map.of("x-queue-type", "quorum")), 406, "invalid property 'non-durable'");

    Channel channel = connection.createChannel();
    channel.queueDeclare("quorum", true, false, false, Map.of("x-queue-type", "quorum"));
    channel.queueDeclare("lazy", false, false, false, Map.of("x-queue-mode", "lazy"));
    channel.queueDeclare("prioritized", false, false, false, Map.of("x-max-priority", 10));
  }

  @Test
  void shouldDeleteAQueueUnusedForItsXExpiresButNotWhileItHasConsumers() throws Exception {
    Channel channel = connection.createChannel();
    Map<String, Object> expires = Map.of("x-expires", 300);
    channel.queueDeclare("expiring", false, false, false, expires);
    channel.queueDeclare("consumed", false, false, false, expires);
    String tag = channel.basicConsume("consumed", true, (t, d) -> {}, t -> {});
    for (int i = 0; i < 4; i++) {
      Thread.sleep(150);
      channel.queueDeclare("expiring", false, false, false, expires);
    }
    Thread.sleep(600);

    assertChannelError(
        () -> connection.createChannel().queueDeclarePassive("expiring"), 404, "no queue");
    assertThat(channel.queueDeclarePassive("consumed").getConsumerCount()).isEqualTo(1);
    channel.basicCancel(tag);
    Thread.sleep(600);
    assertChannelError(() -> channel.queueDeclarePassive("consumed"), 404, "no queue");
  }

  @Test
  void shouldRefuseMessageLargerThanTheMaximumMessageSize() throws Exception {
    broker.close();
    broker = new AmqpTestBroker(dir, AmqpSettings.DEFAULTS.withMaxMessageSize(1_000)).start();
    connection = broker.connect();
    Channel channel = connection.createChannel();
    channel.queueDeclare("small", false, false, false, null);
    channel.basicPublish("", "small", null, new byte[1_000]);
    CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
    channel.addShutdownListener(closed::complete);

    channel.basicPublish("", "small", null, new byte[1_001]);

    AMQP.Channel.Close close = (AMQP.Channel.Close) closed.get(5, TimeUnit.SECONDS).getReason();
    assertThat(close.getReplyCode()).isEqualTo(406);
    assertThat(close.getReplyText())
        .isEqualTo(
            "PRECONDITION_FAILED - message size 1001 is larger than configured max size 1000");
    assertThat(connection.createChannel().queueDeclarePassive("small").getMessageCount())
        .isEqualTo(1);
  }

  private void declare(Map<String, Object> arguments) throws IOException {
    connection.createChannel().queueDeclare("q", false, false, false, arguments);
  }
}
