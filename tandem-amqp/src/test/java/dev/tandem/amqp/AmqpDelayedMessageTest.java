package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The x-delayed-message exchange of RabbitMQ's delayed-message plugin, with the Java client. */
class AmqpDelayedMessageTest {
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
      connection.abort();
    }
    broker.close();
  }

  private record Arrival(String body, long atMillis) {}

  private static Map<String, Object> delayedType(String type) {
    return Map.of("x-delayed-type", type);
  }

  private static AMQP.BasicProperties delay(Object millis, boolean persistent) {
    Map<String, Object> headers = new HashMap<>();
    if (millis != null) {
      headers.put("x-delay", millis);
    }
    return new AMQP.BasicProperties.Builder()
        .headers(headers)
        .deliveryMode(persistent ? 2 : 1)
        .build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private LinkedBlockingQueue<Arrival> consume(Channel on, String queue) throws Exception {
    LinkedBlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    DeliverCallback callback =
        (tag, delivery) ->
            arrivals.add(
                new Arrival(
                    new String(delivery.getBody(), StandardCharsets.UTF_8),
                    System.currentTimeMillis()));
    on.basicConsume(queue, true, callback, tag -> {});
    return arrivals;
  }

  @Test
  void shouldDeliverEachMessageNoEarlierThanItsDelayAndInDueOrder() throws Exception {
    channel.exchangeDeclare("later", "x-delayed-message", false, false, delayedType("direct"));
    channel.queueDeclare("jobs", false, false, false, null);
    channel.queueBind("jobs", "later", "job");
    LinkedBlockingQueue<Arrival> arrivals = consume(channel, "jobs");

    Map<String, Long> dueAt = new HashMap<>();
    for (int delay : new int[] {800, 300, 650, 450}) {
      dueAt.put("after " + delay, System.currentTimeMillis() + delay);
      channel.basicPublish("later", "job", delay(delay, false), bytes("after " + delay));
    }

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Arrival arrival = arrivals.poll(3, TimeUnit.SECONDS);
      assertThat(arrival).isNotNull();
      assertThat(arrival.atMillis()).isGreaterThanOrEqualTo(dueAt.get(arrival.body()));
      order.add(arrival.body());
    }
    assertThat(order).containsExactly("after 300", "after 450", "after 650", "after 800");
  }

  @Test
  void shouldRouteByTopicAgainstTheBindingsThereAreWhenTheDelayEnds() throws Exception {
    channel.exchangeDeclare("later", "x-delayed-message", false, false, delayedType("topic"));
    channel.queueDeclare("eu", false, false, false, null);
    channel.queueDeclare("us", false, false, false, null);
    channel.queueBind("us", "later", "order.us.*");

    long published = System.currentTimeMillis();
    channel.basicPublish("later", "order.eu.created", delay("300", false), bytes("eu order"));
    channel.queueBind("eu", "later", "order.eu.*");
    assertThat(channel.basicGet("eu", true)).isNull();

    LinkedBlockingQueue<Arrival> arrivals = consume(channel, "eu");
    Arrival arrival = arrivals.poll(3, TimeUnit.SECONDS);
    assertThat(arrival).isNotNull();
    assertThat(arrival.body()).isEqualTo("eu order");
    assertThat(arrival.atMillis()).isGreaterThanOrEqualTo(published + 300);
    assertThat(channel.basicGet("us", true)).isNull();
  }

  @Test
  void shouldRouteAtOnceWhenTheDelayIsAbsentZeroOrNegative() throws Exception {
    channel.exchangeDeclare("later", "x-delayed-message", false, false, delayedType("fanout"));
    channel.queueDeclare("now", false, false, false, null);
    channel.queueBind("now", "later", "");

    channel.basicPublish("later", "", delay(null, false), bytes("absent"));
    channel.basicPublish("later", "", delay(0, false), bytes("zero"));
    channel.basicPublish("later", "", delay(-1000, false), bytes("negative"));

    List<String> bodies = new ArrayList<>();
    for (GetResponse r = channel.basicGet("now", true);
        r != null;
        r = channel.basicGet("now", true)) {
      bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
    }
    assertThat(bodies).containsExactly("absent", "zero", "negative");
  }

  @Test
  void shouldRefuseTheExchangeWithoutXDelayedType() throws Exception {
    assertThatThrownBy(() -> channel.exchangeDeclare("later", "x-delayed-message", true))
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("reply-code=406")
                    .contains(
                        "Invalid argument, 'x-delayed-type' must be an existing exchange type"));
    Channel again = connection.createChannel();
    again.exchangeDeclare("later", "x-delayed-message", true, false, delayedType("headers"));
    assertThatThrownBy(
            () ->
                again.exchangeDeclare(
                    "later", "x-delayed-message", true, false, delayedType("direct")))
        .cause()
        .hasMessageContaining("reply-code=406")
        .hasMessageContaining("inequivalent arg");
  }

  @Test
  void shouldConfirmADelayedPublishOnceHeldAndNotReturnItAsUnroutable() throws Exception {
    channel.exchangeDeclare("later", "x-delayed-message", true, false, delayedType("direct"));
    channel.queueDeclare("jobs", true, false, false, null);
    channel.queueBind("jobs", "later", "job");
    List<Return> returned = new CopyOnWriteArrayList<>();
    channel.addReturnListener(returned::add);
    channel.confirmSelect();

    long published = System.currentTimeMillis();
    channel.basicPublish("later", "job", true, delay(500, true), bytes("confirmed"));
    channel.basicPublish("later", "nowhere", true, delay(500, true), bytes("unbound"));
    channel.waitForConfirmsOrDie(2_000);
    assertThat(System.currentTimeMillis()).isLessThan(published + 500);

    Arrival arrival = consume(channel, "jobs").poll(3, TimeUnit.SECONDS);
    assertThat(arrival).isNotNull();
    assertThat(arrival.atMillis()).isGreaterThanOrEqualTo(published + 500);
    Thread.sleep(50);
    assertThat(returned).isEmpty();
  }

  @Test
  void shouldDeliverAPersistentDelayedMessageAfterARestartOnceItIsDue() throws Exception {
    channel.exchangeDeclare("later", "x-delayed-message", true, false, delayedType("direct"));
    channel.queueDeclare("jobs", true, false, false, null);
    channel.queueBind("jobs", "later", "job");
    channel.confirmSelect();
    long published = System.currentTimeMillis();
    channel.basicPublish("later", "job", delay(700, true), bytes("survivor"));
    channel.basicPublish("later", "job", delay(700, false), bytes("transient"));
    channel.waitForConfirmsOrDie(2_000);
    connection.abort();

    broker.restart();
    connection = broker.connect();
    Channel after = connection.createChannel();
    assertThat(after.basicGet("jobs", true)).isNull();
    LinkedBlockingQueue<Arrival> arrivals = consume(after, "jobs");
    Arrival arrival = arrivals.poll(3, TimeUnit.SECONDS);
    assertThat(arrival).isNotNull();
    assertThat(arrival.body()).isEqualTo("survivor");
    assertThat(arrival.atMillis()).isGreaterThanOrEqualTo(published + 700);
    assertThat(arrivals.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }
}
