package dev.tandem.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.index.SparseIndex;
import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.log.LogContents;
import dev.tandem.storage.log.LogContents.Entry;
import dev.tandem.storage.log.LogContents.SegmentFile;
import dev.tandem.storage.log.LogContents.StoredBatch;
import dev.tandem.storage.log.LogScheduler;
import dev.tandem.storage.log.StorageFullException;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 2 MiB tmpfs mounted for each test (the tests run as root; elsewhere they are
 * skipped, since only a real file system reports ENOSPC the way production meets it). A full disk
 * fails appends with {@link StorageFullException}, leaves the log online and everything written
 * intact, and appends work again once space is freed.
 */
class FullDiskTest {
  private static final LogConfig CONFIG =
      LogConfig.DEFAULT.withSegmentBytes(64 * 1024).withIndexIntervalBytes(512);

  @TempDir Path tempDir;
  private Path disk;
  private Path logDir;
  private LogScheduler scheduler;
  private Log log;
  private final List<Entry> acknowledged = new ArrayList<>();
  private int sequence;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = Files.createDirectories(tempDir.resolve("disk"));
    String output = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString());
    if (!isMounted()) {
      Assumptions.abort(
          "a full disk needs a small file system of its own: mounting a tmpfs failed (tests must"
              + " run as root): "
              + output);
    }
    logDir = disk.resolve("log");
    scheduler = new LogScheduler(1, System::currentTimeMillis);
  }

  @AfterEach
  void unmount() throws Exception {
    try {
      if (log != null) {
        log.close();
      }
    } finally {
      scheduler.close();
      if (isMounted()) {
        run("umount", disk.toString());
        if (isMounted()) {
          run("umount", "-l", disk.toString());
        }
      }
    }
  }

  @Test
  void shouldFailAppendsWhenDiskIsFullAndRecoverWhenSpaceReturns() throws Exception {
    log = Log.open(logDir, CONFIG, scheduler, false);
    Path filler = fill(disk.resolve("filler"), 1024 * 1024);

    StorageFullException full = appendUntilFull(3000);
    assertThat(full).hasMessageContaining("no space");
    assertThat(log.isOffline()).as("offline after a full disk").isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(appendFailure(3000))
          .as("while still full")
          .isInstanceOf(StorageFullException.class);
    }
    assertEverythingAcknowledgedIsIntact();

    Files.delete(filler);
    appendSome(20, 3000);
    assertEverythingAcknowledgedIsIntact();

    log.close();
    log = Log.open(logDir, CONFIG, scheduler, true);
    assertEverythingAcknowledgedIsIntact();
    appendSome(3, 100);
    crashAndReopen();
    assertEverythingAcknowledgedIsIntact();
    appendSome(3, 100);
    assertEverythingAcknowledgedIsIntact();
  }

  @Test
  void shouldNotCorruptAnythingWhenRollAndSealMeetAFullDisk() throws Exception {
    log = Log.open(logDir, CONFIG.withSegmentBytes(8 * 1024), scheduler, false);
    Path filler = fill(disk.resolve("filler"), 1024 * 1024);
    appendUntilFull(1500);
    // Take the last free bytes too, then force a roll: the new segment file needs no data block,
    // but sealing the old one (writing its indexes) fails.
    Path crumbs = fill(disk.resolve("crumbs"), Integer.MAX_VALUE);
    List<SegmentFile> before = LogContents.segmentFiles(logDir);
    if (before.get(before.size() - 1).size() > 0) {
      log.config(log.config().withSegmentMs(1));
      Thread.sleep(5);
      assertThat(appendFailure(100)).isInstanceOf(StorageFullException.class);
      assertThat(LogContents.segmentFiles(logDir))
          .as("the roll happened")
          .hasSize(before.size() + 1);
      log.config(CONFIG.withSegmentBytes(8 * 1024));
    }
    int segments = log.segmentCount();
    assertThat(appendFailure(100)).isInstanceOf(StorageFullException.class);
    assertThat(log.segmentCount()).as("no roll of an empty segment").isEqualTo(segments);
    assertThat(log.isOffline()).isFalse();
    assertEverythingAcknowledgedIsIntact();
    assertIndexFilesPresentAreValid();

    Files.delete(crumbs);
    Files.delete(filler);
    appendSome(10, 1500);
    assertEverythingAcknowledgedIsIntact();
    assertIndexFilesPresentAreValid();

    crashAndReopen();
    assertEverythingAcknowledgedIsIntact();
    log.close();
    log = Log.open(logDir, CONFIG, scheduler, true);
    assertEverythingAcknowledgedIsIntact();
    assertIndexFilesPresentAreValid();
  }

  @Test
  void shouldReleaseItsFilesWhenClosedOnAFullDisk() throws Exception {
    log = Log.open(logDir, CONFIG.withSegmentBytes(8 * 1024), scheduler, false);
    Path filler = fill(disk.resolve("filler"), 1024 * 1024);
    appendUntilFull(1500);
    fill(disk.resolve("crumbs"), Integer.MAX_VALUE);

    try {
      log.close();
    } catch (IOException expected) {
      // writing the indexes of the active segment needs space; the data is flushed already
    }
    assertThat(openFilesUnder(disk)).as("files still open on the full disk").isEmpty();

    Files.delete(filler);
    log = Log.open(logDir, CONFIG, scheduler, false);
    assertEverythingAcknowledgedIsIntact();
  }

  /** Appends until the disk is full; returns the failure, every success is acknowledged. */
  private StorageFullException appendUntilFull(int valueBytes) throws Exception {
    for (int i = 0; i < 10_000; i++) {
      Throwable failure = appendFailure(valueBytes);
      if (failure != null) {
        assertThat(failure).isInstanceOf(StorageFullException.class);
        return (StorageFullException) failure;
      }
    }
    throw new AssertionError("the disk never filled up");
  }

  private void appendSome(int count, int valueBytes) throws Exception {
    for (int i = 0; i < count; i++) {
      assertThat(appendFailure(valueBytes)).isNull();
    }
  }

  /** Appends one record; returns null and records it when acknowledged, else why it failed. */
  private Throwable appendFailure(int valueBytes) throws Exception {
    String value = sequence++ + "-" + "v".repeat(valueBytes);
    long now = System.currentTimeMillis();
    ByteBuffer batch =
        new RecordBatchBuilder(now)
            .append(now, null, value.getBytes(StandardCharsets.UTF_8))
            .build();
    try {
      AppendResult result = log.append(batch).get(10, TimeUnit.SECONDS);
      acknowledged.add(
          new Entry(
              result.firstOffset(),
              null,
              LogContents.hex(value.getBytes(StandardCharsets.UTF_8)),
              now));
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private void assertEverythingAcknowledgedIsIntact() throws IOException {
    assertThat(log.endOffset()).isEqualTo(acknowledged.size());
    assertThat(log.highWatermark()).isEqualTo(acknowledged.size());
    assertThat(LogContents.readAll(log)).isEqualTo(acknowledged);
    long batches = 0;
    for (SegmentFile segment : LogContents.segmentFiles(logDir)) {
      List<StoredBatch> stored = LogContents.batchesIn(segmentPath(segment.baseOffset()));
      long bytes = stored.stream().mapToLong(StoredBatch::size).sum();
      assertThat(bytes)
          .as("segment %d holds whole batches only", segment.baseOffset())
          .isEqualTo(segment.size());
      batches += stored.size();
    }
    assertThat(batches).as("batches on disk").isEqualTo(acknowledged.size());
  }

  private void assertIndexFilesPresentAreValid() throws IOException {
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = String.valueOf(file.getFileName());
        if (name.endsWith(".index") || name.endsWith(".timeindex")) {
          assertThat(SparseIndex.load(file)).as(name).isNotNull();
        }
      }
    }
  }

  private void crashAndReopen() throws IOException {
    // Abandon the log as a killed process would; stop its threads first.
    scheduler.close();
    scheduler = new LogScheduler(1, System::currentTimeMillis);
    log = Log.open(logDir, CONFIG, scheduler, false);
  }

  private Path segmentPath(long base) {
    return logDir.resolve(String.format("%020d.log", base));
  }

  /** Writes up to {@code bytes} into a new file, stopping quietly when the disk is full. */
  private static Path fill(Path file, int bytes) throws IOException {
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < bytes; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
        out.flush();
      }
    } catch (IOException e) {
      if (!e.getMessage().contains("No space left on device")) {
        throw e;
      }
    }
    return file;
  }

  /** Files this JVM holds open below {@code dir}. */
  private static List<String> openFilesUnder(Path dir) throws IOException {
    List<String> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir)) {
            open.add(target.toString());
          }
        } catch (IOException e) {
          // the descriptor closed while listing
        }
      }
    }
    return open;
  }

  private boolean isMounted() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .anyMatch(line -> line.split(" ")[1].equals(disk.toString()));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(30, TimeUnit.SECONDS);
    return output.trim();
  }
}
