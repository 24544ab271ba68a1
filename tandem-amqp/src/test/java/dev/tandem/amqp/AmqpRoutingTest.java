package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing through exchanges (§3.1.3, RabbitMQ's extensions) with the Java client. */
class AmqpRoutingTest {
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
    connection.close();
    broker.close();
  }

  private void queue(String name) throws Exception {
    channel.queueDeclare(name, false, false, false, null);
  }

  private void publish(String exchange, String key, String body) throws Exception {
    channel.basicPublish(exchange, key, null, body.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> drain(String queue) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (GetResponse r = channel.basicGet(queue, true);
        r != null;
        r = channel.basicGet(queue, true)) {
      bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  @Test
  void shouldRouteTopicPatternsWithStarForOneWordAndHashForAny() throws Exception {
    channel.exchangeDeclare("events", "topic");
    queue("one-word");
    queue("any-words");
    channel.queueBind("one-word", "events", "user.*");
    channel.queueBind("any-words", "events", "user.#");

    publish("events", "user", "zero");
    publish("events", "user.created", "one");
    publish("events", "user.created.eu", "two");
    publish("events", "order.created", "other");

    assertThat(drain("one-word")).containsExactly("one");
    assertThat(drain("any-words")).containsExactly("zero", "one", "two");
  }

  @Test
  void shouldRouteHeadersExchangeWithMatchAllAndAny() throws Exception {
    channel.exchangeDeclare("by-headers", "headers");
    queue("all");
    queue("any");
    channel.queueBind(
        "all", "by-headers", "", Map.of("x-match", "all", "format", "pdf", "type", "report"));
    channel.queueBind(
        "any", "by-headers", "", Map.of("x-match", "any", "format", "pdf", "type", "log"));

    publishWithHeaders(Map.of("format", "pdf", "type", "report"), "pdf-report");
    publishWithHeaders(Map.of("format", "pdf", "type", "invoice"), "pdf-invoice");
    publishWithHeaders(Map.of("format", "zip", "type", "log"), "zip-log");
    publishWithHeaders(Map.of("format", "zip"), "zip");

    assertThat(drain("all")).containsExactly("pdf-report");
    assertThat(drain("any")).containsExactly("pdf-report", "pdf-invoice", "zip-log");
  }

  private void publishWithHeaders(Map<String, Object> headers, String body) throws Exception {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(headers).build();
    channel.basicPublish("by-headers", "", properties, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldFanOutToEveryBoundQueueIgnoringTheKey() throws Exception {
    channel.exchangeDeclare("broadcast", "fanout");
    for (String q : List.of("a", "b", "c")) {
      queue(q);
      channel.queueBind(q, "broadcast", "ignored-" + q);
    }

    publish("broadcast", "whatever", "hello");

    for (String q : List.of("a", "b", "c")) {
      assertThat(drain(q)).containsExactly("hello");
    }
  }

  @Test
  void shouldRouteThroughExchangeToExchangeBindings() throws Exception {
    channel.exchangeDeclare("front", "direct");
    channel.exchangeDeclare("back", "topic");
    channel.exchangeBind("back", "front", "orders.new");
    queue("orders");
    channel.queueBind("orders", "back", "orders.#");

    publish("front", "orders.new", "routed");
    publish("front", "orders.old", "dropped");
    channel.exchangeUnbind("back", "front", "orders.new");
    publish("front", "orders.new", "after-unbind");

    assertThat(drain("orders")).containsExactly("routed");
  }

  @Test
  void shouldSendWhatAnExchangeCannotRouteToItsAlternateExchange() throws Exception {
    channel.exchangeDeclare("unrouted", "fanout");
    channel.exchangeDeclare(
        "main", "direct", false, false, Map.of("alternate-exchange", "unrouted"));
    queue("known");
    queue("leftovers");
    channel.queueBind("known", "main", "known");
    channel.queueBind("leftovers", "unrouted", "");

    publish("main", "known", "direct");
    publish("main", "unknown", "alternate");

    assertThat(drain("known")).containsExactly("direct");
    assertThat(drain("leftovers")).containsExactly("alternate");
  }

  @Test
  void shouldReturnUnroutableMandatoryMessageWithNoRoute() throws Exception {
    channel.exchangeDeclare("nowhere", "direct");
    CompletableFuture<Return> returned = new CompletableFuture<>();
    channel.addReturnListener(returned::complete);

    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId("m-1").build();
    channel.basicPublish(
        "nowhere", "no-queue", true, properties, "lost?".getBytes(StandardCharsets.UTF_8));

    Return r = returned.get(5, TimeUnit.SECONDS);
    assertThat(r.getReplyCode()).isEqualTo(312);
    assertThat(r.getReplyText()).isEqualTo("NO_ROUTE");
    assertThat(r.getExchange()).isEqualTo("nowhere");
    assertThat(r.getRoutingKey()).isEqualTo("no-queue");
    assertThat(r.getProperties().getMessageId()).isEqualTo("m-1");
    assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("lost?");
    assertThat(broker.metrics().returned()).isEqualTo(1);
  }

  @Test
  void shouldDeliverPropertiesAndLargeBodiesExactlyAsPublished() throws Exception {
    queue("exact");
    AMQP.BasicProperties sent =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("utf-8")
            .headers(Map.of("n", 42, "s", "text", "flag", true))
            .deliveryMode(1)
            .priority(3)
            .correlationId("corr")
            .replyTo("replies")
            .messageId("id-1")
            .timestamp(new Date(1_700_000_000_000L))
            .type("kind")
            .userId("guest")
            .appId("tests")
            .build();
    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }

    channel.basicPublish("", "exact", sent, body);
    GetResponse got = channel.basicGet("exact", true);

    assertThat(got.getBody()).isEqualTo(body);
    assertThat(got.getEnvelope().getExchange()).isEmpty();
    assertThat(got.getEnvelope().getRoutingKey()).isEqualTo("exact");
    AMQP.BasicProperties received = got.getProps();
    assertThat(received.getContentType()).isEqualTo("application/json");
    assertThat(received.getHeaders().get("n")).isEqualTo(42);
    assertThat(received.getHeaders().get("s").toString()).isEqualTo("text");
    assertThat(received.getPriority()).isEqualTo(3);
    assertThat(received.getCorrelationId()).isEqualTo("corr");
    assertThat(received.getReplyTo()).isEqualTo("replies");
    assertThat(received.getTimestamp()).isEqualTo(new Date(1_700_000_000_000L));
    assertThat(received.getUserId()).isEqualTo("guest");
    assertThat(received.getAppId()).isEqualTo("tests");
  }

  /** RabbitMQ's "Sender-selected Distribution": CC and BCC headers add routing keys. */
  @Test
  void shouldRouteWithCcAndBccKeysOnceToEachQueueAndDropTheBccHeader() throws Exception {
    for (String name : List.of("qa", "qb", "qc", "qd", "qab")) {
      queue(name);
    }
    channel.queueBind("qa", "amq.direct", "a");
    channel.queueBind("qb", "amq.direct", "b");
    channel.queueBind("qc", "amq.direct", "c");
    channel.queueBind("qd", "amq.direct", "d");
    channel.queueBind("qab", "amq.direct", "a");
    channel.queueBind("qab", "amq.direct", "b");
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .headers(Map.of("CC", List.of("b"), "BCC", List.of("c"), "other", "kept"))
            .build();
    channel.basicPublish("amq.direct", "a", properties, "m".getBytes(StandardCharsets.UTF_8));
    channel.basicPublish(
        "",
        "qd",
        new AMQP.BasicProperties.Builder().headers(Map.of("CC", "qa")).build(),
        "not an array".getBytes(StandardCharsets.UTF_8));

    assertThat(drain("qa")).containsExactly("m");
    assertThat(drain("qab")).containsExactly("m");
    assertThat(drain("qd")).containsExactly("not an array");
    GetResponse viaCc = channel.basicGet("qb", true);
    GetResponse viaBcc = channel.basicGet("qc", true);
    for (GetResponse got : List.of(viaCc, viaBcc)) {
      assertThat(got.getEnvelope().getRoutingKey()).isEqualTo("a");
      assertThat(got.getProps().getHeaders()).containsKeys("CC", "other").doesNotContainKey("BCC");
    }
  }
}
