package dev.tandem.core.delay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.queue.Message;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelayedMessagesTest {
  @TempDir Path dir;
  private LogDirectory directory;
  private DelayedMessages store;
  private final LinkedBlockingQueue<Released> released = new LinkedBlockingQueue<>();
  private volatile CompletableFuture<Boolean> outcome = CompletableFuture.completedFuture(true);

  private record Released(DelayTarget target, Message message, long atMillis) {
    String body() {
      return new String(message.body(), StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void open() throws Exception {
    open(DelayedMessages.TRIM_AFTER);
  }

  private void open(long trimAfter) throws Exception {
    directory = LogDirectory.open(dir);
    store = DelayedMessages.open(directory, "/", Durability.FSYNC, trimAfter);
  }

  private void start() {
    store.start(
        (target, message) -> {
          released.add(new Released(target, message, System.currentTimeMillis()));
          return outcome;
        });
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    directory.close();
  }

  private void restart() throws Exception {
    close();
    open();
  }

  private static Message message(String body, boolean persistent) {
    return new Message("delayed", "key", new byte[] {1, 2}, Map.of(), bytes(body), persistent, 0);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> take(int count) throws InterruptedException {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Released next = released.poll(3, TimeUnit.SECONDS);
      assertThat(next).as("release %d of %d", i + 1, count).isNotNull();
      bodies.add(next.body());
    }
    return bodies;
  }

  @Test
  void shouldReleaseInDueOrderWhateverTheOrderOfHolding() throws Exception {
    start();
    long now = System.currentTimeMillis();
    DelayTarget target = DelayTarget.exchange("delayed");
    store.hold(target, message("c", true), now + 240).get();
    store.hold(target, message("a", true), now + 80).get();
    store.hold(target, message("d", false), now + 240).get();
    store.hold(target, message("b", true), now + 160).get();

    assertThat(take(4)).containsExactly("a", "b", "c", "d");
    assertThat(store.held()).isZero();
    waitUntil(() -> store.released() == 4);
  }

  @Test
  void shouldReleaseNoEarlierThanItsDueTimeToItsTarget() throws Exception {
    start();
    long dueAt = System.currentTimeMillis() + 200;
    store.hold(DelayTarget.queue("jobs"), message("later", true), dueAt).get();
    assertThat(store.held()).isEqualTo(1);

    Released first = released.poll(3, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first.atMillis()).isGreaterThanOrEqualTo(dueAt);
    assertThat(first.target()).isEqualTo(DelayTarget.queue("jobs"));
    assertThat(first.message().routingKey()).isEqualTo("key");
    assertThat(first.message().properties()).containsExactly(1, 2);
    assertThat(first.message().persistent()).isTrue();
  }

  @Test
  void shouldConfirmAPersistentHoldOnlyOnceItIsOnDisk() throws Exception {
    start();
    long fsyncs = store.log().fsyncCount();
    store.hold(DelayTarget.exchange("x"), message("m", true), Long.MAX_VALUE).get();
    assertThat(store.log().highWatermark()).isEqualTo(1);
    assertThat(store.log().fsyncCount()).isGreaterThan(fsyncs);
  }

  @Test
  void shouldKeepDecodedHeadersAndStartTheTtlAtRelease() throws Exception {
    start();
    long now = System.currentTimeMillis();
    Message withHeaders =
        new Message(
            "delayed",
            "key",
            new byte[0],
            Map.of("x-delay", 100L, "format", "pdf"),
            bytes("h"),
            true,
            now + 1_000);
    store.hold(DelayTarget.exchange("delayed"), withHeaders, now + 100).get();

    Released got = released.poll(3, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.message().headers())
        .containsEntry("format", "pdf")
        .containsEntry("x-delay", 100L);
    assertThat(got.message().expiresAt()).isBetween(now + 1_100, now + 1_200);
  }

  @Test
  void shouldRebuildOnRestartAndReleaseWhatFellDueWhileStopped() throws Exception {
    long now = System.currentTimeMillis();
    DelayTarget target = DelayTarget.exchange("delayed");
    store.hold(target, message("overdue", true), now + 50).get();
    store.hold(target, message("later", true), now + 400).get();
    Thread.sleep(100);
    restart();
    assertThat(store.held()).isEqualTo(2);
    start();

    Released overdue = released.poll(3, TimeUnit.SECONDS);
    assertThat(overdue).isNotNull();
    assertThat(overdue.body()).isEqualTo("overdue");
    assertThat(overdue.atMillis()).isLessThan(now + 400);
    Released later = released.poll(3, TimeUnit.SECONDS);
    assertThat(later).isNotNull();
    assertThat(later.body()).isEqualTo("later");
    assertThat(later.atMillis()).isGreaterThanOrEqualTo(now + 400);
  }

  @Test
  void shouldNotReleaseAgainAfterRestartWhatWasReleasedBefore() throws Exception {
    start();
    long now = System.currentTimeMillis();
    DelayTarget target = DelayTarget.exchange("delayed");
    store.hold(target, message("gone", true), now + 20).get();
    store.hold(target, message("kept", true), now + 60_000).get();
    assertThat(take(1)).containsExactly("gone");
    waitUntil(() -> store.released() == 1);
    Thread.sleep(50);

    restart();
    assertThat(store.held()).isEqualTo(1);
    start();
    assertThat(released.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void shouldNotKeepTransientMessagesAcrossRestart() throws Exception {
    long now = System.currentTimeMillis();
    DelayTarget target = DelayTarget.exchange("delayed");
    store.hold(target, message("transient", false), now + 100);
    store.hold(target, message("persistent", true), now + 100).get();
    assertThat(store.held()).isEqualTo(2);

    restart();
    assertThat(store.held()).isEqualTo(1);
    start();
    assertThat(take(1)).containsExactly("persistent");
    assertThat(released.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void shouldKeepTheLogStartAtTheOldestMessageStillHeld() throws Exception {
    close();
    open(4);
    start();
    long now = System.currentTimeMillis();
    DelayTarget target = DelayTarget.exchange("delayed");
    store.hold(target, message("pinned", true), now + 60_000).get();
    for (int i = 0; i < 10; i++) {
      store.hold(target, message("m" + i, true), now + 10).get();
    }
    take(10);
    waitUntil(() -> store.released() == 10);

    restart();
    assertThat(store.log().startOffset()).isZero();
    assertThat(store.held()).isEqualTo(1);
  }

  @Test
  void shouldMoveTheLogStartPastTheReleasedPrefix() throws Exception {
    close();
    open(4);
    start();
    long now = System.currentTimeMillis();
    DelayTarget target = DelayTarget.exchange("delayed");
    for (int i = 0; i < 10; i++) {
      store.hold(target, message("m" + i, true), now + 10 + i).get();
    }
    store.hold(target, message("pinned", true), now + 60_000).get();
    take(10);
    waitUntil(() -> store.released() == 10 && store.log().startOffset() >= 4);

    restart();
    assertThat(store.log().startOffset()).isEqualTo(10);
    assertThat(store.held()).isEqualTo(1);
  }

  @Test
  void shouldCountMessagesTheirTargetDropsAndNotReleaseThemAgain() throws Exception {
    outcome = CompletableFuture.completedFuture(false);
    start();
    store.hold(DelayTarget.queue("gone"), message("a", true), 0).get();
    store.hold(DelayTarget.queue("gone"), message("b", true), 0).get();
    outcome = CompletableFuture.failedFuture(new IllegalStateException("refused"));
    store.hold(DelayTarget.queue("full"), message("c", true), 0).get();
    take(3);
    waitUntil(() -> store.dropped() == 3);
    assertThat(store.released()).isZero();

    Thread.sleep(50);
    restart();
    assertThat(store.held()).isZero();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 3_000;
    while (!condition.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("waited 3 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
