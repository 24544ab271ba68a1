package dev.tandem.amqp;

import static dev.tandem.amqp.ChannelErrors.assertChannelError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import com.rabbitmq.client.StringRpcServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct reply-to (RabbitMQ's "Direct Reply-to" guide): replies to {@code amq.rabbitmq.reply-to}
 * reach the requesting channel's no-ack consumer without a queue; the Java client's own {@link
 * RpcClient}, whose default reply address this is, against its {@link StringRpcServer}.
 */
class AmqpDirectReplyToTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection client;
  private Connection server;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    client = broker.connect();
    server = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    for (Connection connection : new Connection[] {client, server}) {
      if (connection.isOpen()) {
        connection.close();
      }
    }
    broker.close();
  }

  private static byte[] text(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldAnswerJavaClientRpcThroughDirectReplyTo() throws Exception {
    Channel serving = server.createChannel();
    serving.queueDeclare("rpc", false, false, true, null);
    StringRpcServer rpcServer =
        new StringRpcServer(serving, "rpc") {
          @Override
          public String handleStringCall(String request, AMQP.BasicProperties reply) {
            return "re: " + request;
          }
        };
    Thread serverThread =
        new Thread(
            () -> {
              try {
                rpcServer.mainloop();
              } catch (Exception e) {
                // closed at the end of the test
              }
            });
    serverThread.start();
    RpcClient rpc =
        new RpcClient(
            new RpcClientParams().channel(client.createChannel()).exchange("").routingKey("rpc"));
    try {
      for (int i = 0; i < 20; i++) {
        assertThat(rpc.stringCall("call " + i)).isEqualTo("re: call " + i);
      }
    } finally {
      rpc.close();
      rpcServer.terminateMainloop();
      serving.close();
      serverThread.join(5_000);
      assertThat(serverThread.isAlive()).isFalse();
    }
  }

  @Test
  void shouldRewriteReplyToAndDeliverTheReplyWithoutAQueue() throws Exception {
    Channel requests = server.createChannel();
    requests.queueDeclare("work", false, false, false, null);
    Channel caller = client.createChannel();
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    caller.basicConsume(
        "amq.rabbitmq.reply-to",
        true,
        new DefaultConsumer(caller) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            replies.add(
                envelope.getExchange()
                    + "|"
                    + envelope.getRoutingKey()
                    + "|"
                    + properties.getCorrelationId()
                    + "|"
                    + new String(body, StandardCharsets.UTF_8));
          }
        });
    caller.basicPublish(
        "",
        "work",
        new AMQP.BasicProperties.Builder()
            .replyTo("amq.rabbitmq.reply-to")
            .correlationId("c1")
            .build(),
        text("question"));

    String replyTo = null;
    for (int i = 0; i < 100 && replyTo == null; i++) {
      var got = requests.basicGet("work", true);
      replyTo = got == null ? null : got.getProps().getReplyTo();
      Thread.sleep(got == null ? 20 : 0);
    }
    assertThat(replyTo).startsWith("amq.rabbitmq.reply-to.").hasSizeGreaterThan(30);
    assertThat(requests.queueDeclarePassive(replyTo).getConsumerCount()).isEqualTo(1);
    assertThat(requests.queueDeclarePassive("amq.rabbitmq.reply-to").getMessageCount()).isZero();

    requests.basicPublish(
        "",
        replyTo,
        new AMQP.BasicProperties.Builder().correlationId("c1").build(),
        text("answer"));
    assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo("|" + replyTo + "|c1|answer");

    caller.close();
    CompletableFuture<Integer> returned = new CompletableFuture<>();
    requests.addReturnListener(r -> returned.complete(r.getReplyCode()));
    requests.basicPublish("", replyTo, true, null, text("too late"));
    assertThat(returned.get(5, TimeUnit.SECONDS)).isEqualTo(312);
    Channel probe = server.createChannel();
    String gone = replyTo;
    assertThatThrownBy(() -> probe.queueDeclarePassive(gone))
        .cause()
        .hasMessageContaining("NOT_FOUND");
  }

  @Test
  void shouldRefuseRequestsWithoutReplyConsumerAndReplyConsumersThatAck() throws Exception {
    Channel requester = client.createChannel();
    assertChannelError(
        () -> {
          requester.basicPublish(
              "",
              "anything",
              new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(),
              text("q"));
          requester.queueDeclare();
        },
        406,
        "fast reply consumer does not exist");
    Channel acking = client.createChannel();
    assertChannelError(
        () -> acking.basicConsume("amq.rabbitmq.reply-to", false, new DefaultConsumer(acking)),
        406,
        "reply consumer cannot acknowledge");
    assertThat(client.isOpen()).isTrue();
  }
}
