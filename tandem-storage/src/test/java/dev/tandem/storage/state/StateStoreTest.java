package dev.tandem.storage.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.LogContents;
import dev.tandem.storage.log.LogScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

class StateStoreTest {
  private Path dir;
  private LogScheduler scheduler;
  private StateStore store;
  private long snapshotAfterBytes = StateStore.SNAPSHOT_AFTER_BYTES;

  enum Shutdown {
    CLEAN,
    UNCLEAN,
    CRASH
  }

  @BeforeTry
  void createDirectory() throws IOException {
    store = null;
    snapshotAfterBytes = StateStore.SNAPSHOT_AFTER_BYTES;
    dir = LogContents.scratchDirectory("state-store");
    scheduler = new LogScheduler(1, System::currentTimeMillis);
  }

  @AfterTry
  void cleanUp() throws IOException {
    if (store != null) {
      store.close();
    }
    scheduler.close();
    LogContents.deleteTree(dir);
  }

  @Example
  void shouldPutGetRemoveAndScanByPrefix() throws Exception {
    open(true);
    await(store.put("queue/a", bytes("1")));
    await(store.put("queue/b", bytes("2")));
    await(store.put("topic/a", bytes("3")));
    await(store.put("queue/a", bytes("1bis")));
    await(store.remove("queue/b"));
    await(store.remove("missing"));

    assertThat(store.get("queue/a")).isEqualTo(bytes("1bis"));
    assertThat(store.get("queue/b")).isNull();
    assertThat(store.size()).isEqualTo(2);
    assertThat(text(store.scan("queue/"))).containsExactly(Map.entry("queue/a", "1bis"));
    assertThat(text(store.scan(""))).containsOnlyKeys("queue/a", "topic/a");
  }

  @Example
  void shouldNotLetCallersChangeStoredValues() throws Exception {
    open(true);
    byte[] value = bytes("original");
    await(store.put("k", value));
    value[0] = 'X';
    store.get("k")[0] = 'Y';
    store.scan("").get("k")[0] = 'Z';
    assertThat(store.get("k")).isEqualTo(bytes("original"));
  }

  @Example
  void shouldReplayEveryChangeAfterCleanUncleanAndCrashReopen() throws Exception {
    open(true);
    TreeMap<String, String> expected = new TreeMap<>();
    for (Shutdown shutdown : Shutdown.values()) {
      for (int i = 0; i < 50; i++) {
        String key = "key-" + (i % 17);
        if (i % 5 == 4) {
          await(store.remove(key));
          expected.remove(key);
        } else {
          await(store.put(key, bytes(shutdown + "-" + i)));
          expected.put(key, shutdown + "-" + i);
        }
      }
      reopen(shutdown);
      assertThat(text(store.scan(""))).as("after %s reopen", shutdown).isEqualTo(expected);
    }
  }

  @Example
  void shouldSnapshotAfterEnoughBytesAndDropTheLogBelow() throws Exception {
    snapshotAfterBytes = 1000;
    open(true);
    TreeMap<String, String> expected = fill(300);
    assertThat(snapshots()).as("snapshot files").isNotEmpty();
    assertThat(store.log().startOffset()).as("log start offset").isPositive();

    for (Shutdown shutdown : Shutdown.values()) {
      reopen(shutdown);
      assertThat(text(store.scan(""))).as("after %s reopen", shutdown).isEqualTo(expected);
    }
  }

  @Example
  void shouldFallBackToThePreviousSnapshotWhenTheLatestIsCorrupt() throws Exception {
    snapshotAfterBytes = 1000;
    open(true);
    TreeMap<String, String> expected = fill(300);
    store.close();
    List<Path> snapshots = snapshots();
    assertThat(snapshots).as("snapshots kept").hasSizeGreaterThanOrEqualTo(2);
    flipLastByte(snapshots.get(snapshots.size() - 1));

    open(false);

    assertThat(text(store.scan(""))).isEqualTo(expected);
  }

  @Example
  void shouldRefuseToOpenWhenNoSnapshotCoversTheDroppedLog() throws Exception {
    snapshotAfterBytes = 1000;
    open(true);
    fill(300);
    store.close();
    assertThat(store.log().startOffset()).isPositive();
    for (Path snapshot : snapshots()) {
      flipLastByte(snapshot);
    }

    assertThatThrownBy(() -> open(false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("snapshot");
  }

  @Provide
  Arbitrary<List<Tuple.Tuple3<Integer, String, Shutdown>>> changes() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 20),
            Arbitraries.strings().alpha().ofMaxLength(60).injectNull(0.2),
            Arbitraries.of(Shutdown.class).injectNull(0.95))
        .as(Tuple::of)
        .list()
        .ofMaxSize(150)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  @Property(tries = 40)
  void shouldMatchAMapAcrossChangesSnapshotsAndReopens(
      @ForAll("changes") List<Tuple.Tuple3<Integer, String, Shutdown>> changes,
      @ForAll @IntRange(min = 200, max = 3000) int snapshotAfter)
      throws Exception {
    snapshotAfterBytes = snapshotAfter;
    open(true);
    TreeMap<String, String> expected = new TreeMap<>();
    for (Tuple.Tuple3<Integer, String, Shutdown> change : changes) {
      String key = "k" + change.get1();
      String value = change.get2();
      await(value == null ? store.remove(key) : store.put(key, bytes(value)));
      if (value == null) {
        expected.remove(key);
      } else {
        expected.put(key, value);
      }
      if (change.get3() != null) {
        reopen(change.get3());
      }
      assertThat(text(store.scan(""))).isEqualTo(expected);
    }
    reopen(Shutdown.CRASH);
    assertThat(text(store.scan(""))).isEqualTo(expected);
  }

  @Example
  void shouldKeepChangesFromConcurrentWriters() throws Exception {
    snapshotAfterBytes = 2000;
    open(true);
    List<Thread> writers = new ArrayList<>();
    List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      int writer = t;
      writers.add(
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  futures.add(store.put("w" + writer + "-" + i, bytes("v" + i)));
                }
              }));
    }
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    reopen(Shutdown.CRASH);
    assertThat(store.size()).isEqualTo(800);
    assertThat(store.get("w3-199")).isEqualTo(bytes("v199"));
  }

  private TreeMap<String, String> fill(int changes) throws Exception {
    TreeMap<String, String> expected = new TreeMap<>();
    for (int i = 0; i < changes; i++) {
      String key = "key-" + (i % 37);
      String value = HexFormat.of().toHexDigits(i) + "-".repeat(i % 40);
      await(store.put(key, bytes(value)));
      expected.put(key, value);
    }
    return expected;
  }

  private void open(boolean clean) throws IOException {
    store = StateStore.open(dir, scheduler, clean, snapshotAfterBytes);
  }

  private void reopen(Shutdown shutdown) throws IOException {
    if (shutdown == Shutdown.CRASH) {
      // Abandon the store as a killed process would; wait for its fsync thread to go quiet.
      scheduler.close();
      scheduler = new LogScheduler(1, System::currentTimeMillis);
    } else {
      store.close();
    }
    open(shutdown == Shutdown.CLEAN);
  }

  private List<Path> snapshots() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".snapshot")).sorted().toList();
    }
  }

  private static void flipLastByte(Path file) throws IOException {
    byte[] content = Files.readAllBytes(file);
    content[content.length - 1] ^= 0x5A;
    Files.write(file, content);
  }

  private static void await(CompletableFuture<Void> future) throws Exception {
    future.get(10, TimeUnit.SECONDS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> text(SortedMap<String, byte[]> entries) {
    TreeMap<String, String> text = new TreeMap<>();
    entries.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
    return text;
  }
}
