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
import dev.tandem.amqp.codec.BasicMethod;
import dev.tandem.amqp.codec.ChannelMethod;
import dev.tandem.amqp.codec.ConnectionMethod;
import dev.tandem.amqp.codec.FieldTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consuming and acknowledging (§1.8.3) with the Java client. */
class AmqpConsumeTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;
  private Channel channel;

  /** A delivery as a consumer saw it. */
  record Received(long tag, boolean redelivered, String body) {}

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    connection = broker.connect();
    channel = connection.createChannel();
    channel.queueDeclare("work", false, false, false, null);
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  private void publish(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      channel.basicPublish("", "work", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
    }
  }

  private BlockingQueue<Received> consume(Channel on, boolean autoAck) throws IOException {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    on.basicConsume(
        "work",
        autoAck,
        new DefaultConsumer(on) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            received.add(
                new Received(
                    envelope.getDeliveryTag(),
                    envelope.isRedeliver(),
                    new String(body, StandardCharsets.UTF_8)));
          }
        });
    return received;
  }

  private static Received next(BlockingQueue<Received> received) throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a delivery within 5 s").isNotNull();
    return r;
  }

  @Test
  void shouldNotDeliverMoreThanPrefetchCountUntilAcked() throws Exception {
    publish(10);
    channel.basicQos(3);
    BlockingQueue<Received> received = consume(channel, false);

    List<Received> first = List.of(next(received), next(received), next(received));
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    channel.basicAck(first.get(1).tag(), false);

    assertThat(next(received).body()).isEqualTo("m3");
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void shouldDeliverToTheHighestPriorityConsumerWhileItHasCapacity() throws Exception {
    BlockingQueue<String> deliveredTo = new LinkedBlockingQueue<>();
    for (int priority : new int[] {0, 10, 5}) {
      channel.basicConsume(
          "work",
          true,
          "p" + priority,
          false,
          false,
          Map.of("x-priority", priority),
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
              deliveredTo.add(tag);
            }
          });
    }

    publish(5);

    for (int i = 0; i < 5; i++) {
      assertThat(deliveredTo.poll(5, TimeUnit.SECONDS)).isEqualTo("p10");
    }
  }

  @Test
  void shouldAckEveryDeliveryUpToTheTagWithMultiple() throws Exception {
    publish(5);
    channel.basicQos(5);
    BlockingQueue<Received> received = consume(channel, false);
    for (int i = 0; i < 5; i++) {
      next(received);
    }

    channel.basicAck(3, true);
    channel.close();

    Channel again = connection.createChannel();
    assertThat(again.queueDeclarePassive("work").getMessageCount()).isEqualTo(2);
    assertThat(body(again.basicGet("work", true))).isEqualTo("m3");
  }

  @Test
  void shouldRedeliverNackedMessageMarkedRedelivered() throws Exception {
    publish(1);
    BlockingQueue<Received> received = consume(channel, false);
    Received first = next(received);
    assertThat(first.redelivered()).isFalse();

    channel.basicNack(first.tag(), false, true);

    Received again = next(received);
    assertThat(again.body()).isEqualTo("m0");
    assertThat(again.redelivered()).isTrue();
    assertThat(again.tag()).isGreaterThan(first.tag());
  }

  @Test
  void shouldDropRejectedMessageWithoutRequeue() throws Exception {
    publish(2);
    GetResponse first = channel.basicGet("work", false);
    assertThat(first.getMessageCount()).isEqualTo(1);

    channel.basicReject(first.getEnvelope().getDeliveryTag(), false);

    assertThat(body(channel.basicGet("work", true))).isEqualTo("m1");
    assertThat(channel.basicGet("work", true)).isNull();
  }

  @Test
  void shouldGetMessagesOneByOneAndGetEmptyWhenNoneIsReady() throws Exception {
    assertThat(channel.basicGet("work", true)).isNull();
    publish(2);

    GetResponse first = channel.basicGet("work", false);
    assertThat(body(first)).isEqualTo("m0");
    assertThat(first.getMessageCount()).isEqualTo(1);
    assertThat(body(channel.basicGet("work", true))).isEqualTo("m1");
    assertThat(channel.basicGet("work", true)).isNull();
    channel.basicAck(first.getEnvelope().getDeliveryTag(), false);
  }

  @Test
  void shouldRequeueUnackedDeliveriesMarkedRedeliveredWhenTheirChannelCloses() throws Exception {
    publish(3);
    Channel consumer = connection.createChannel();
    BlockingQueue<Received> received = consume(consumer, false);
    for (int i = 0; i < 3; i++) {
      next(received);
    }

    consumer.close();

    GetResponse again = channel.basicGet("work", true);
    assertThat(body(again)).isEqualTo("m0");
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
    assertThat(channel.queueDeclarePassive("work").getMessageCount()).isEqualTo(2);
  }

  @Test
  void shouldRecoverUnackedDeliveriesAsRedelivered() throws Exception {
    publish(2);
    BlockingQueue<Received> received = consume(channel, false);
    next(received);
    next(received);

    channel.basicRecover(true);

    assertThat(next(received).redelivered()).isTrue();
    assertThat(next(received).redelivered()).isTrue();
  }

  @Test
  void shouldCloseChannelWithPreconditionFailedOnUnknownDeliveryTag() throws Exception {
    channel.basicAck(42, false);

    // basic.ack has no reply, so the channel.close may arrive before or after the next call is
    // sent: wait for the close itself, then check it was a channel (soft) error.
    ShutdownSignalException close = awaitClose(channel);
    assertThat(close.isHardError()).isFalse();
    assertThat(close.getMessage()).contains("406").contains("unknown delivery tag 42");
    assertThat(connection.isOpen()).isTrue();
  }

  @Test
  void shouldRefuseExclusiveConsumerWhileOthersConsumeAndViceVersa() throws Exception {
    channel.basicConsume("work", new DefaultConsumer(channel));
    Channel other = connection.createChannel();
    assertThatThrownBy(
            () ->
                other.basicConsume(
                    "work", false, "", false, true, Map.of(), new DefaultConsumer(other)))
        .cause()
        .hasMessageContaining("403")
        .hasMessageContaining("in exclusive use");

    channel.queueDeclare("solo", false, false, false, null);
    channel.basicConsume(
        "solo", false, "only", false, true, Map.of(), new DefaultConsumer(channel));
    Channel third = connection.createChannel();
    assertThatThrownBy(() -> third.basicConsume("solo", new DefaultConsumer(third)))
        .cause()
        .hasMessageContaining("403");
  }

  @Test
  void shouldCloseConnectionWithNotAllowedWhenAConsumerTagIsReused() throws Exception {
    try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
      client.handshake(0, 0);
      client.send(1, new ChannelMethod.Open(""));
      client.readMethod();
      BasicMethod.Consume consume =
          new BasicMethod.Consume(0, "work", "mine", false, false, false, false, FieldTable.EMPTY);
      client.send(1, consume);
      assertThat(client.readMethod()).isEqualTo(new BasicMethod.ConsumeOk("mine"));

      client.send(1, consume);

      ConnectionMethod.Close close = (ConnectionMethod.Close) client.readMethod();
      assertThat(close.replyCode()).isEqualTo(530);
      assertThat(close.replyText()).contains("attempt to reuse consumer tag 'mine'");
    }
  }

  @Test
  void shouldDropMessagesWhosePerMessageOrQueueTtlHasPassed() throws Exception {
    AMQP.BasicProperties shortLived = new AMQP.BasicProperties.Builder().expiration("50").build();
    channel.basicPublish("", "work", shortLived, "expires".getBytes(StandardCharsets.UTF_8));
    channel.basicPublish("", "work", null, "stays".getBytes(StandardCharsets.UTF_8));
    channel.queueDeclare("ttl", false, false, false, Map.of("x-message-ttl", 50));
    channel.basicPublish("", "ttl", null, "expires too".getBytes(StandardCharsets.UTF_8));
    Thread.sleep(200);

    assertThat(body(channel.basicGet("work", true))).isEqualTo("stays");
    assertThat(channel.basicGet("ttl", true)).isNull();
    assertThat(channel.queueDeclarePassive("ttl").getMessageCount()).isZero();

    channel.basicPublish(
        "", "work", new AMQP.BasicProperties.Builder().expiration("soon").build(), new byte[0]);
    // The channel.close may arrive before or after the next call is sent: the client throws
    // AlreadyClosedException or an IOException caused by it, both naming the close.
    assertThatThrownBy(() -> channel.queueDeclarePassive("work"))
        .hasStackTraceContaining("reply-code=406")
        .hasStackTraceContaining("invalid expiration 'soon'");
  }

  @Test
  void shouldDeliverOnlyToTheSingleActiveConsumerUntilItGoes() throws Exception {
    channel.queueDeclare("sac", false, false, false, Map.of("x-single-active-consumer", true));
    BlockingQueue<String> first = new LinkedBlockingQueue<>();
    BlockingQueue<String> second = new LinkedBlockingQueue<>();
    Channel other = connection.createChannel();
    String firstTag =
        channel.basicConsume(
            "sac",
            true,
            (t, d) -> first.add(new String(d.getBody(), StandardCharsets.UTF_8)),
            t -> {});
    other.basicConsume(
        "sac",
        true,
        (t, d) -> second.add(new String(d.getBody(), StandardCharsets.UTF_8)),
        t -> {});
    for (int i = 0; i < 3; i++) {
      channel.basicPublish("", "sac", null, ("a" + i).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(List.of(take(first), take(first), take(first))).containsExactly("a0", "a1", "a2");

    channel.basicCancel(firstTag);
    channel.basicPublish("", "sac", null, "b".getBytes(StandardCharsets.UTF_8));
    assertThat(take(second)).isEqualTo("b");
    assertThat(first).isEmpty();
    assertThat(second).isEmpty();
  }

  private static String take(BlockingQueue<String> received) throws InterruptedException {
    String body = received.poll(5, TimeUnit.SECONDS);
    assertThat(body).as("a delivery within 5 s").isNotNull();
    return body;
  }

  @Test
  void shouldStopDeliveriesWhileFlowIsOff() throws Exception {
    Channel consumer = connection.createChannel();
    BlockingQueue<Received> received = consume(consumer, true);
    AMQP.Channel.FlowOk off =
        (AMQP.Channel.FlowOk)
            consumer
                .asyncCompletableRpc(new AMQP.Channel.Flow.Builder().active(false).build())
                .get(5, TimeUnit.SECONDS)
                .getMethod();
    assertThat(off.getActive()).isFalse();

    publish(1);
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    consumer
        .asyncCompletableRpc(new AMQP.Channel.Flow.Builder().active(true).build())
        .get(5, TimeUnit.SECONDS);

    assertThat(next(received).body()).isEqualTo("m0");
  }

  private static String body(GetResponse response) {
    assertThat(response).isNotNull();
    return new String(response.getBody(), StandardCharsets.UTF_8);
  }

  private static ShutdownSignalException awaitClose(Channel channel) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (channel.isOpen() && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    assertThat(channel.isOpen()).as("channel closed by the broker").isFalse();
    return channel.getCloseReason();
  }
}
