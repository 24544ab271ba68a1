package dev.tandem.amqp;

import static dev.tandem.amqp.ChannelErrors.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import dev.tandem.core.topic.Topic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * queue.declare of {@code x-queue-type: stream} with the Java client: a stream is a topic, its
 * arguments are the topic's retention configs, and a redeclaration must agree with the topic as
 * RabbitMQ's redeclaration of a stream must agree with its arguments.
 */
class AmqpStreamDeclarationTest {
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

  private static Map<String, Object> stream(Object... more) {
    Map<String, Object> arguments = new java.util.HashMap<>(Map.of("x-queue-type", "stream"));
    for (int i = 0; i < more.length; i += 2) {
      arguments.put((String) more[i], more[i + 1]);
    }
    return arguments;
  }

  private Topic topic(String name) {
    return broker.node().topics().topic(name).orElseThrow();
  }

  private void assertRefused(String name, Map<String, Object> arguments, String text)
      throws IOException {
    Channel other = connection.createChannel();
    assertChannelError(() -> other.queueDeclare(name, true, false, false, arguments), 406, text);
  }

  @Test
  void shouldCreateTopicWithRetentionConfigsFromStreamArguments() throws Exception {
    channel.queueDeclare(
        "events",
        true,
        false,
        false,
        stream(
            "x-max-age", "7D",
            "x-max-length-bytes", 20_000_000_000L,
            "x-stream-max-segment-size-bytes", 100_000_000,
            "x-stream-partitions", 3,
            "x-initial-cluster-size", 3));

    Topic topic = topic("events");
    assertThat(topic.partitions()).hasSize(3);
    assertThat(topic.config().overrides())
        .containsEntry("retention.ms", Long.toString(7L * 24 * 3600 * 1000))
        .containsEntry("retention.bytes", "20000000000")
        .containsEntry("segment.bytes", "100000000");
  }

  @Test
  void shouldAcceptRedeclarationThatAgreesAndCountMessagesAndConsumers() throws Exception {
    channel.queueDeclare("agreed", true, false, false, stream("x-max-age", "12h"));
    for (int i = 0; i < 5; i++) {
      channel.basicPublish("", "agreed", null, new byte[] {(byte) i});
    }
    channel.basicQos(10);
    channel.basicConsume(
        "agreed", false, Map.of("x-stream-offset", "first"), new DefaultConsumer(channel));

    Channel again = connection.createChannel();
    AMQP.Queue.DeclareOk ok =
        again.queueDeclare("agreed", true, false, false, stream("x-max-age", "12h"));
    assertThat(ok.getMessageCount()).isEqualTo(5);
    assertThat(ok.getConsumerCount()).isEqualTo(1);
    assertThat(again.queueDeclare("agreed", true, false, false, stream()).getMessageCount())
        .isEqualTo(5);
    assertThat(again.queueDeclarePassive("agreed").getConsumerCount()).isEqualTo(1);
  }

  @Test
  void shouldRefuseRedeclarationWithDifferentArgumentsAsInequivalent() throws Exception {
    channel.queueDeclare(
        "fixed", true, false, false, stream("x-max-age", "1D", "x-stream-partitions", 2));

    assertRefused("fixed", stream("x-max-age", "2D"), "inequivalent arg 'x-max-age'");
    assertRefused(
        "fixed", stream("x-max-length-bytes", 1000), "inequivalent arg 'x-max-length-bytes'");
    assertRefused(
        "fixed", stream("x-stream-partitions", 3), "inequivalent arg 'x-stream-partitions'");
    Channel other = connection.createChannel();
    assertThatThrownBy(() -> other.queueDeclare("fixed", false, false, false, stream()))
        .cause()
        .hasMessageContaining("inequivalent arg 'durable'");
    assertThat(topic("fixed").partitions()).hasSize(2);
    assertThat(topic("fixed").config().overrides())
        .containsEntry("retention.ms", Long.toString(24L * 3600 * 1000));
  }

  @Test
  void shouldRefuseMalformedAndUnknownStreamArguments() throws Exception {
    assertRefused("bad", stream("x-max-age", "7 days"), "invalid arg 'x-max-age'");
    assertRefused("bad", stream("x-max-age", "0D"), "invalid arg 'x-max-age'");
    assertRefused("bad", stream("x-max-length-bytes", -1), "invalid arg 'x-max-length-bytes'");
    assertRefused("bad", stream("x-stream-partitions", 0), "invalid arg 'x-stream-partitions'");
    assertRefused("bad", stream("x-max-length", 10), "invalid arg 'x-max-length'");
    assertThat(broker.node().topics().topic("bad")).isEmpty();
  }
}
