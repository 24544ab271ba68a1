package dev.tandem.core.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.exchange.Binding;
import dev.tandem.core.queue.Delivery;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.queue.QueueConsumer;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.storage.LogDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VhostTest {
  @TempDir Path dir;
  private LogDirectory directory;
  private Vhosts vhosts;
  private Vhost vhost;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dir);
    vhosts = vhostsOf(dev.tandem.storage.log.Durability.FSYNC);
    vhost = vhosts.vhost("/").orElseThrow();
  }

  private Vhosts vhostsOf(dev.tandem.storage.log.Durability durability) throws Exception {
    dev.tandem.storage.state.StateStore metadata = directory.openStateStore("metadata");
    dev.tandem.core.topic.Topics topics =
        dev.tandem.core.topic.Topics.load(
            directory,
            metadata,
            new dev.tandem.core.topic.Topics.TopicDefaults(
                dev.tandem.storage.log.LogConfig.DEFAULT.withDurability(durability), 1, true));
    return new Vhosts(directory, metadata, topics);
  }

  @AfterEach
  void close() throws Exception {
    vhosts.close();
    directory.close();
  }

  private void restart() throws Exception {
    close();
    open();
  }

  private static Message message(String key, String body, boolean persistent) {
    return new Message(
        "app", key, new byte[0], Map.of(), body.getBytes(StandardCharsets.UTF_8), persistent);
  }

  private static class Collector implements QueueConsumer {
    final List<Delivery> deliveries = new ArrayList<>();
    final boolean autoAck;
    int capacity;

    Collector(boolean autoAck, int capacity) {
      this.autoAck = autoAck;
      this.capacity = capacity;
    }

    @Override
    public boolean autoAck() {
      return autoAck;
    }

    @Override
    public boolean hasCapacity() {
      return deliveries.size() < capacity;
    }

    @Override
    public void deliver(Delivery delivery) {
      deliveries.add(delivery);
    }

    List<String> bodies() {
      return deliveries.stream()
          .map(d -> new String(d.message().body(), StandardCharsets.UTF_8))
          .toList();
    }
  }

  @Test
  void shouldHoldPublishersBackWhileAnActiveConsumerFallsBehindAndReleaseThemOnceDrained()
      throws Exception {
    Queue queue =
        vhost.declareQueue("busy", false, new QueueOptions(false, false, false, Map.of()), "c1");
    Collector consumer = new Collector(true, 1);
    queue.addConsumer(consumer);
    for (int i = 0; i < 20_000 && queue.congestion() == null; i++) {
      vhost.publish("", message("busy", "m" + i, false));
      if (i % 100 == 0) {
        consumer.capacity++;
        queue.dispatch();
      }
    }
    var congestion = queue.congestion();
    assertThat(congestion).isNotNull();
    assertThat(congestion).isNotDone();
    consumer.capacity = Integer.MAX_VALUE;
    queue.dispatch();
    assertThat(congestion).isDone();
    assertThat(queue.congestion()).isNull();
  }

  @Test
  void shouldNeverHoldPublishersBackForAQueueWithoutActiveConsumers() throws Exception {
    Queue queue =
        vhost.declareQueue("backlog", false, new QueueOptions(false, false, false, Map.of()), "c1");
    for (int i = 0; i < 10_000; i++) {
      vhost.publish("", message("backlog", "m" + i, false));
    }
    assertThat(queue.congestion()).isNull();
    queue.addConsumer(new Collector(true, 0));
    for (int i = 0; i < 10; i++) {
      vhost.publish("", message("backlog", "late" + i, false));
    }
    assertThat(queue.congestion()).isNull();
  }

  @Test
  void shouldConfirmPersistentMessagesOnlyOnceFsyncedUnderTheDefaultPolicy() throws Exception {
    Queue queue =
        vhost.declareQueue("fsynced", false, new QueueOptions(true, false, false, Map.of()), "c1");
    var routed =
        vhost.publish("", new Message("", "fsynced", new byte[0], Map.of(), new byte[1], true));
    routed.stored().get();
    assertThat(queue.log().highWatermark()).isEqualTo(1);
  }

  @Test
  void shouldFollowTheBrokerDurabilityPolicyForDurableQueues() throws Exception {
    close();
    directory = LogDirectory.open(dir);
    vhosts = vhostsOf(dev.tandem.storage.log.Durability.NEVER);
    vhost = vhosts.vhost("/").orElseThrow();
    Queue queue =
        vhost.declareQueue("relaxed", false, new QueueOptions(true, false, false, Map.of()), "c1");
    assertThat(queue.log().config().durability())
        .isEqualTo(dev.tandem.storage.log.Durability.NEVER);
    long before = queue.log().fsyncCount();
    vhost
        .publish("", new Message("", "relaxed", new byte[0], Map.of(), new byte[1], true))
        .stored()
        .get();
    assertThat(queue.log().fsyncCount()).isEqualTo(before);
  }

  @Test
  void shouldRouteTopicPublishToBoundDurableQueueAndDeliverInOrder() throws Exception {
    vhost.declareExchange("app", "topic", false, true, false, false, Map.of());
    Queue queue =
        vhost.declareQueue(
            "email_queue", false, new QueueOptions(true, false, false, Map.of()), "c1");
    vhost.bind(new Binding("app", "email_queue", false, "user.*", Map.of()), "c1");
    vhost.publish("app", message("user.registered", "a", true)).stored().get();
    vhost.publish("app", message("user.deleted", "b", true)).stored().get();
    assertThat(vhost.publish("app", message("order.created", "c", true)).queues()).isEmpty();
    Collector consumer = new Collector(false, 10);
    queue.addConsumer(consumer);
    assertThat(consumer.bodies()).containsExactly("a", "b");
    assertThat(queue.ack(consumer.deliveries.get(0).offset())).isTrue();
  }

  @Test
  void shouldRedeliverUnackedPersistentMessagesAfterRestartAndDropAckedAndTransientOnes()
      throws Exception {
    Queue queue =
        vhost.declareQueue("jobs", false, new QueueOptions(true, false, false, Map.of()), "c1");
    for (int i = 0; i < 6; i++) {
      vhost
          .publish(
              "",
              new Message(
                  "",
                  "jobs",
                  new byte[0],
                  Map.of(),
                  ("m" + i).getBytes(StandardCharsets.UTF_8),
                  i != 5))
          .stored()
          .get();
    }
    Collector consumer = new Collector(false, 3);
    queue.addConsumer(consumer);
    queue.ack(consumer.deliveries.get(0).offset());
    queue.ack(consumer.deliveries.get(2).offset());
    restart();
    Queue again = vhost.queue("jobs", "c2");
    Collector after = new Collector(false, 100);
    again.addConsumer(after);
    assertThat(after.bodies()).containsExactly("m1", "m3", "m4");
    assertThat(after.deliveries.get(0).redelivered()).isTrue();
    assertThat(after.deliveries.get(1).redelivered()).isFalse();
    assertThat(after.deliveries.get(2).redelivered()).isFalse();
  }

  @Test
  void shouldRequeueAtOriginalPositionMarkedRedelivered() {
    Queue queue =
        vhost.declareQueue("q", false, new QueueOptions(false, false, false, Map.of()), "c1");
    for (int i = 0; i < 3; i++) {
      vhost.publish("", message("q", "m" + i, false));
    }
    Collector first = new Collector(false, 1);
    queue.addConsumer(first);
    queue.removeConsumer(first);
    queue.requeue(first.deliveries.get(0).offset());
    Collector second = new Collector(true, 10);
    queue.addConsumer(second);
    assertThat(second.bodies()).containsExactly("m0", "m1", "m2");
    assertThat(second.deliveries.get(0).redelivered()).isTrue();
    assertThat(queue.messageCount()).isZero();
  }

  @Test
  void shouldRefuseInequivalentRedeclarationAndReservedNames() {
    vhost.declareQueue("q", false, new QueueOptions(true, false, false, Map.of()), "c1");
    assertThatThrownBy(
            () ->
                vhost.declareQueue(
                    "q", false, new QueueOptions(false, false, false, Map.of()), "c1"))
        .isInstanceOf(VhostException.class)
        .extracting(e -> ((VhostException) e).reason())
        .isEqualTo(VhostException.Reason.PRECONDITION_FAILED);
    assertThatThrownBy(
            () -> vhost.declareExchange("amq.mine", "direct", false, true, false, false, Map.of()))
        .extracting(e -> ((VhostException) e).reason())
        .isEqualTo(VhostException.Reason.ACCESS_REFUSED);
  }

  @Test
  void shouldKeepDurableDefinitionsAndDropTransientOnesAcrossRestart() throws Exception {
    vhost.declareExchange(
        "durable-x", "fanout", false, true, false, false, Map.of("alternate-exchange", "ae"));
    vhost.declareExchange("transient-x", "fanout", false, false, false, false, Map.of());
    vhost.declareQueue(
        "durable-q",
        false,
        new QueueOptions(true, false, false, Map.of("x-queue-mode", "lazy")),
        "c1");
    vhost.declareQueue("transient-q", false, new QueueOptions(false, false, false, Map.of()), "c1");
    vhost.bind(new Binding("durable-x", "durable-q", false, "", Map.of()), "c1");
    restart();
    assertThat(vhost.exchanges())
        .extracting(e -> e.name())
        .contains("durable-x")
        .doesNotContain("transient-x");
    assertThat(vhost.queues()).extracting(Queue::name).containsExactly("durable-q");
    assertThat(vhost.exchange("durable-x").bindings()).hasSize(1);
    vhost.declareQueue(
        "durable-q",
        false,
        new QueueOptions(true, false, false, Map.of("x-queue-mode", "lazy")),
        "c9");
  }

  @Test
  void shouldTellConsumersTheirQueueWasDeletedAndAcceptLateAcks() {
    Queue queue =
        vhost.declareQueue("doomed", false, new QueueOptions(false, false, false, Map.of()), "c1");
    vhost.publish("", message("doomed", "m", false));
    List<String> events = new ArrayList<>();
    Collector consumer =
        new Collector(false, 10) {
          @Override
          public void onQueueDeleted() {
            events.add("deleted");
          }
        };
    queue.addConsumer(consumer);

    vhost.deleteQueue("doomed", false, false, "c1");

    assertThat(events).containsExactly("deleted");
    assertThat(queue.ack(consumer.deliveries.get(0).offset())).isTrue();
  }

  @Test
  void shouldKeepOtherConsumersOffAQueueWithAnExclusiveConsumer() {
    Queue queue =
        vhost.declareQueue("solo", false, new QueueOptions(false, false, false, Map.of()), "c1");
    Collector first = new Collector(false, 1);
    Collector second = new Collector(false, 1);

    assertThat(queue.tryAddConsumer(first, true)).isTrue();
    assertThat(queue.tryAddConsumer(second, false)).isFalse();
    queue.removeConsumer(first);
    assertThat(queue.tryAddConsumer(second, false)).isTrue();
    assertThat(queue.tryAddConsumer(first, true)).isFalse();
  }

  @Test
  void shouldDeleteAnAutoDeleteExchangeWhenItsLastBindingGoes() {
    vhost.declareExchange("short-lived", "fanout", false, false, true, false, Map.of());
    vhost.declareQueue("q", false, new QueueOptions(false, false, false, Map.of()), "c1");
    Binding binding = new Binding("short-lived", "q", false, "", Map.of());
    vhost.bind(binding, "c1");

    vhost.unbind(binding, "c1");

    assertThat(vhost.exchanges()).extracting(e -> e.name()).doesNotContain("short-lived");
  }

  @Test
  void shouldHoldBacklogLargerThanWindowOnDiskAndDeliverAll() {
    Queue queue =
        vhost.declareQueue("big", false, new QueueOptions(false, false, false, Map.of()), "c1");
    int count = 20_000;
    for (int i = 0; i < count; i++) {
      vhost.publish("", message("big", "m" + i, false));
    }
    assertThat(queue.messageCount()).isEqualTo(count);
    Collector consumer = new Collector(true, Integer.MAX_VALUE);
    queue.addConsumer(consumer);
    assertThat(consumer.deliveries).hasSize(count);
    assertThat(consumer.bodies().get(count - 1)).isEqualTo("m" + (count - 1));
  }
}
