package dev.tandem.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues with x-max-priority, as RabbitMQ's classic priority queues behave. */
class PriorityQueueTest {
  @TempDir Path dir;
  private LogDirectory directory;
  private QueueFactory factory;
  private final List<Message> deadLettered = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dir);
    factory = new QueueFactory(directory, Durability.FSYNC);
  }

  @AfterEach
  void close() throws Exception {
    directory.close();
  }

  private Queue declare(boolean durable, Map<String, Object> arguments) {
    return factory.create(
        "/",
        "q",
        new QueueOptions(durable, false, false, arguments),
        arguments,
        (queue, message, reason) -> deadLettered.add(message));
  }

  private Queue priorityQueue(int maxPriority) {
    return declare(false, Map.of("x-max-priority", (long) maxPriority));
  }

  private static Message message(String body, int priority, boolean persistent) {
    return new Message(
        "",
        "q",
        new byte[0],
        Map.of(),
        body.getBytes(StandardCharsets.UTF_8),
        persistent,
        0,
        priority);
  }

  private static void publish(Queue queue, String body, int priority) {
    queue.publish(message(body, priority, true));
  }

  private static String body(Delivery delivery) {
    return new String(delivery.message().body(), StandardCharsets.UTF_8);
  }

  private static List<String> getAll(Queue queue) {
    List<String> bodies = new ArrayList<>();
    for (Delivery next = queue.get(true); next != null; next = queue.get(true)) {
      bodies.add(body(next));
    }
    return bodies;
  }

  @Test
  void shouldGiveBackItsShareOfTheWindowBudgetWhenDeleted() {
    Queue queue = priorityQueue(5);
    for (int i = 0; i < 100; i++) {
      queue.publish(message("m" + i, i % 6, false));
    }
    assertThat(factory.windowBudget().used()).isPositive();
    queue.get(true);
    factory.delete(queue);
    assertThat(factory.windowBudget().used()).isZero();
  }

  @Test
  void shouldDeliverHigherPrioritiesFirstAndInPublishOrderWithinAPriority() {
    Queue queue = priorityQueue(10);
    publish(queue, "a1", 1);
    publish(queue, "b5", 5);
    publish(queue, "c9", 9);
    queue.publish(
        new Message(
            "", "q", new byte[0], Map.of(), "d-none".getBytes(StandardCharsets.UTF_8), true));
    publish(queue, "e9", 9);
    publish(queue, "f5", 5);
    publish(queue, "g0", 0);

    assertThat(queue.messageCount()).isEqualTo(7);
    assertThat(getAll(queue)).containsExactly("c9", "e9", "b5", "f5", "a1", "d-none", "g0");
  }

  @Test
  void shouldCountAPriorityAboveTheMaximumAsTheMaximumAndKeepItOnTheMessage() {
    Queue queue = priorityQueue(5);
    publish(queue, "four", 4);
    publish(queue, "nine", 9);
    publish(queue, "five", 5);
    publish(queue, "max", 255);

    Delivery first = queue.get(true);
    assertThat(body(first)).isEqualTo("nine");
    assertThat(first.message().priority()).isEqualTo(9);
    assertThat(getAll(queue)).containsExactly("five", "max", "four");
  }

  @Test
  void shouldIgnorePrioritiesWithoutXMaxPriority() {
    Queue queue = declare(false, Map.of());
    publish(queue, "low", 1);
    publish(queue, "high", 9);

    assertThat(getAll(queue)).containsExactly("low", "high");
  }

  @Test
  void shouldRequeueToTheOriginalPositionWithinItsPriority() {
    Queue queue = priorityQueue(10);
    publish(queue, "a5", 5);
    publish(queue, "b5", 5);
    publish(queue, "c5", 5);
    publish(queue, "d1", 1);
    Delivery a = queue.get(false);
    Delivery b = queue.get(false);
    queue.requeue(b.offset());
    queue.requeue(a.offset());
    publish(queue, "e9", 9);

    Delivery next = queue.get(true);
    assertThat(body(next)).isEqualTo("e9");
    assertThat(next.redelivered()).isFalse();
    Delivery again = queue.get(true);
    assertThat(body(again)).isEqualTo("a5");
    assertThat(again.redelivered()).isTrue();
    assertThat(getAll(queue)).containsExactly("b5", "c5", "d1");
  }

  @Test
  void shouldPushTheHighestPriorityReadyMessageToAConsumerWithCapacity() {
    Queue queue = priorityQueue(10);
    List<String> received = new ArrayList<>();
    int[] capacity = {0};
    queue.addConsumer(
        new QueueConsumer() {
          @Override
          public boolean autoAck() {
            return true;
          }

          @Override
          public boolean hasCapacity() {
            return received.size() < capacity[0];
          }

          @Override
          public void deliver(Delivery delivery) {
            received.add(body(delivery));
          }
        });
    publish(queue, "p1", 1);
    publish(queue, "p7", 7);
    publish(queue, "p3", 3);
    capacity[0] = 1;
    queue.dispatch();
    publish(queue, "p9", 9);
    capacity[0] = 4;
    queue.dispatch();

    assertThat(received).containsExactly("p7", "p9", "p3", "p1");
  }

  @Test
  void shouldKeepPrioritiesAndRedeliveredFlagsOfPersistentMessagesAcrossARestart()
      throws Exception {
    Map<String, Object> arguments = Map.of("x-max-priority", 10L);
    Queue queue = declare(true, arguments);
    List<CompletableFuture<Void>> stored = new ArrayList<>();
    stored.add(queue.publish(message("p1", 1, true)));
    stored.add(queue.publish(message("p9", 9, true)));
    stored.add(queue.publish(message("transient9", 9, false)));
    stored.add(queue.publish(message("p5", 5, true)));
    stored.add(queue.publish(message("p5-acked", 5, true)));
    CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(body(queue.get(false))).isEqualTo("p9");
    assertThat(body(queue.get(true))).isEqualTo("transient9");
    queue.flushAcks();
    directory.close();

    open();
    Queue recovered =
        factory.open(
            "/",
            "q",
            new QueueOptions(true, false, false, arguments),
            arguments,
            DeadLetterSink.NONE);
    assertThat(recovered.messageCount()).isEqualTo(4);
    List<String> order = new ArrayList<>();
    Map<String, Boolean> redelivered = new HashMap<>();
    for (Delivery next = recovered.get(true); next != null; next = recovered.get(true)) {
      order.add(body(next));
      redelivered.put(body(next), next.redelivered());
    }
    assertThat(order).containsExactly("p9", "p5", "p5-acked", "p1");
    assertThat(redelivered)
        .containsEntry("p9", true)
        .containsEntry("p5", false)
        .containsEntry("p1", false);
  }

  @Test
  void shouldDropTheNextMessageToDeliverWhenOverMaxLengthAsRabbitMqDoes() {
    Queue queue =
        declare(
            false,
            Map.of("x-max-priority", 10L, "x-max-length", 2L, "x-dead-letter-exchange", "dlx"));
    publish(queue, "low", 1);
    publish(queue, "high", 9);
    publish(queue, "middle", 5);

    assertThat(deadLettered)
        .extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
        .containsExactly("high");
    assertThat(getAll(queue)).containsExactly("middle", "low");
  }

  @Test
  void shouldExpireMessagesOnlyAtTheHeadOfTheQueue() {
    Queue queue = priorityQueue(10);
    queue.publish(
        new Message(
            "",
            "q",
            new byte[0],
            Map.of(),
            "expired".getBytes(StandardCharsets.UTF_8),
            true,
            1,
            1));
    publish(queue, "high", 9);

    queue.dropExpired();
    assertThat(queue.messageCount()).as("behind an unexpired head").isEqualTo(2);
    assertThat(body(queue.get(true))).isEqualTo("high");
    queue.dropExpired();
    assertThat(queue.messageCount()).isZero();
  }

  @Test
  void shouldKeepExactPriorityOrderWithABacklogBeyondTheMemoryWindow() throws Exception {
    Queue queue = declare(true, Map.of("x-max-priority", 9L));
    int backlog = ReadyMessages.WINDOW_MESSAGES + 1000;
    CompletableFuture<Void> last = null;
    for (int i = 0; i < backlog; i++) {
      last = queue.publish(message("low" + i, i == 10 ? 3 : 0, true));
    }
    publish(queue, "high", 9);
    last.get(5, TimeUnit.SECONDS);
    publish(queue, "middle", 5);

    assertThat(body(queue.get(true))).isEqualTo("high");
    assertThat(body(queue.get(true))).isEqualTo("middle");
    assertThat(body(queue.get(true))).isEqualTo("low10");
    List<String> rest = getAll(queue);
    assertThat(rest).hasSize(backlog - 1);
    assertThat(rest.get(0)).isEqualTo("low0");
    assertThat(rest.get(backlog - 2)).isEqualTo("low" + (backlog - 1));
    assertThat(rest).doesNotHaveDuplicates();
  }

  @Test
  void shouldPurgeReadyMessagesOfEveryPriorityButNotUnackedOnes() {
    Queue queue = declare(false, Map.of("x-max-priority", 3L));
    for (int i = 0; i < ReadyMessages.WINDOW_MESSAGES + 10; i++) {
      publish(queue, "m" + i, i % 4);
    }
    Delivery held = queue.get(false);

    assertThat(queue.purge()).isEqualTo(ReadyMessages.WINDOW_MESSAGES + 9);
    assertThat(queue.messageCount()).isZero();
    publish(queue, "after", 2);
    queue.requeue(held.offset());
    assertThat(getAll(queue)).containsExactly(body(held), "after");
  }
}
