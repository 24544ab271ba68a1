package dev.tandem.core.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.delay.DelayedMessages;
import dev.tandem.core.exchange.Binding;
import dev.tandem.core.queue.Message;
import dev.tandem.core.queue.Queue;
import dev.tandem.core.queue.QueueOptions;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing through x-delayed-message exchanges, as RabbitMQ's delayed-message plugin does. */
class DelayedDeliveryTest {
  private static final QueueOptions DURABLE = new QueueOptions(true, false, false, Map.of());

  @TempDir Path dir;
  private LogDirectory directory;
  private Vhosts vhosts;
  private Vhost vhost;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dir);
    var metadata = directory.openStateStore("metadata");
    vhosts =
        new Vhosts(
            directory,
            metadata,
            Topics.load(directory, metadata, new Topics.TopicDefaults(LogConfig.DEFAULT, 1, true)));
    vhost = vhosts.vhost("/").orElseThrow();
  }

  @AfterEach
  void close() throws Exception {
    vhosts.close();
    directory.close();
  }

  private DelayedMessages held() {
    return vhosts.delayedMessages("/").orElseThrow();
  }

  private void declareDelayed(String name, String delayedType, boolean durable) {
    vhost.declareExchange(
        name,
        "x-delayed-message",
        false,
        durable,
        false,
        false,
        Map.of("x-delayed-type", delayedType));
  }

  private static Message message(String exchange, String key, Map<String, Object> headers) {
    return new Message(
        exchange, key, new byte[0], headers, "m".getBytes(StandardCharsets.UTF_8), true);
  }

  private static VhostException.Reason refusal(Runnable declaration) {
    try {
      declaration.run();
    } catch (VhostException e) {
      return e.reason();
    }
    throw new AssertionError("declaration was accepted");
  }

  @Test
  void shouldRefuseADelayedExchangeWithoutAnExistingDelayedType() {
    assertThatThrownBy(
            () -> vhost.declareExchange("d", "x-delayed-message", false, true, false, false, null))
        .isInstanceOf(VhostException.class)
        .hasMessage("Invalid argument, 'x-delayed-type' must be an existing exchange type");
    assertThat(refusal(() -> declareDelayed("d", "x-delayed-message", true)))
        .isEqualTo(VhostException.Reason.PRECONDITION_FAILED);
    assertThat(
            refusal(
                () ->
                    vhost.declareExchange(
                        "d",
                        "x-delayed-message",
                        false,
                        true,
                        false,
                        false,
                        Map.of("x-delayed-type", 1L))))
        .isEqualTo(VhostException.Reason.PRECONDITION_FAILED);
    assertThatThrownBy(() -> declareDelayed("d", "no-such-type", true))
        .isInstanceOf(VhostException.class)
        .hasMessage("unknown exchange type 'no-such-type'")
        .extracting(e -> ((VhostException) e).reason())
        .isEqualTo(VhostException.Reason.COMMAND_INVALID);
    assertThat(vhost.exchanges()).noneMatch(e -> e.name().equals("d"));
  }

  @Test
  void shouldRefuseARedeclarationWithAnotherDelayedType() {
    declareDelayed("d", "direct", true);
    declareDelayed("d", "direct", true);
    assertThat(refusal(() -> declareDelayed("d", "topic", true)))
        .isEqualTo(VhostException.Reason.PRECONDITION_FAILED);
  }

  @Test
  void shouldRouteAtOnceWithoutAPositiveDelay() {
    declareDelayed("d", "direct", false);
    vhost.declareQueue("q", false, DURABLE, "c");
    vhost.bind(new Binding("d", "q", false, "k", Map.of()), "c");

    assertThat(vhost.publish("d", message("d", "k", Map.of())).queues()).hasSize(1);
    assertThat(vhost.publish("d", message("d", "k", Map.of("x-delay", 0L))).queues()).hasSize(1);
    assertThat(vhost.publish("d", message("d", "k", Map.of("x-delay", -5L))).queues()).hasSize(1);
    assertThat(held().held()).isZero();
  }

  @Test
  void shouldRouteByTheDelayedTypeAgainstTheBindingsAsTheyAreWhenDue() throws Exception {
    declareDelayed("d", "topic", false);
    Queue queue = vhost.declareQueue("q", false, DURABLE, "c");

    Vhost.Routed routed = vhost.publish("d", message("d", "a.b", Map.of("x-delay", 200L)));
    assertThat(routed.held()).isTrue();
    assertThat(routed.unroutable()).isFalse();
    routed.stored().get();
    vhost.bind(new Binding("d", "q", false, "a.*", Map.of()), "c");
    assertThat(queue.messageCount()).isZero();

    waitUntil(() -> queue.messageCount() == 1);
    waitUntil(() -> held().released() == 1);
  }

  @Test
  void shouldRouteAHeldMessageByItsHeadersAfterARestart() throws Exception {
    declareDelayed("d", "headers", true);
    vhost.declareQueue("pdf", false, DURABLE, "c");
    vhost.bind(new Binding("d", "pdf", false, "", Map.of("format", "pdf")), "c");
    vhost.publish("d", message("d", "", Map.of("x-delay", 300L, "format", "pdf"))).stored().get();

    close();
    open();
    Queue queue = vhost.queue("pdf", "c");
    assertThat(queue.messageCount()).isZero();
    waitUntil(() -> queue.messageCount() == 1);
  }

  @Test
  void shouldEnqueueAMessageHeldForAQueueWhenDue() throws Exception {
    Queue queue = vhost.declareQueue("q", false, DURABLE, "c");
    long dueAt = System.currentTimeMillis() + 150;
    vhost.holdForQueue(queue, message("", "any", Map.of()), dueAt).get();
    assertThat(queue.messageCount()).isZero();

    waitUntil(() -> queue.messageCount() == 1);
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(dueAt);
  }

  @Test
  void shouldDropHeldMessagesWhoseExchangeOrQueueIsGone() throws Exception {
    declareDelayed("d", "fanout", false);
    Queue queue = vhost.declareQueue("q", false, DURABLE, "c");
    vhost.bind(new Binding("d", "q", false, "", Map.of()), "c");
    long dueAt = System.currentTimeMillis() + 150;
    vhost.publish("d", message("d", "", Map.of("x-delay", 150L))).stored().get();
    vhost.holdForQueue(queue, message("", "q", Map.of()), dueAt).get();
    vhost.deleteExchange("d", false);
    vhost.deleteQueue("q", false, false, "c");

    waitUntil(() -> held().dropped() == 2);
    assertThat(held().released()).isZero();
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 3_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("waited 3 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
