package dev.tandem.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.record.LogRecord;
import dev.tandem.storage.record.RecordBatchBuilder;
import dev.tandem.storage.record.RecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
  @TempDir Path dir;
  private final LogScheduler scheduler = new LogScheduler();
  private Log log;

  @AfterEach
  void tearDown() throws IOException {
    if (log != null) {
      log.close();
    }
    scheduler.close();
  }

  private static ByteBuffer batch(String... values) {
    RecordBatchBuilder builder = new RecordBatchBuilder(1_000L);
    for (String value : values) {
      builder.append(1_000L, null, value.getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  private List<String> readAll(long from) throws IOException {
    List<String> values = new ArrayList<>();
    long offset = from;
    while (offset < log.highWatermark()) {
      ByteBuffer buffer = log.read(offset, 1 << 20, true).readAll();
      long start = offset;
      List<LogRecord> records = new ArrayList<>();
      RecordReader.forEach(buffer, records::add);
      for (LogRecord record : records) {
        if (record.offset() >= start) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        offset = record.offset() + 1;
      }
    }
    return values;
  }

  @Test
  void shouldAssignConsecutiveOffsetsAcrossBatches() throws Exception {
    log = Log.open(dir, LogConfig.DEFAULT, scheduler, false);
    AppendResult first = log.append(batch("a", "b")).get();
    AppendResult second = log.append(batch("c")).get();
    assertThat(first.firstOffset()).isZero();
    assertThat(first.lastOffset()).isEqualTo(1);
    assertThat(second.firstOffset()).isEqualTo(2);
    assertThat(log.endOffset()).isEqualTo(3);
    assertThat(readAll(0)).containsExactly("a", "b", "c");
    assertThat(readAll(2)).containsExactly("c");
  }

  @Test
  void shouldStoreBatchesWrittenByKafkaClientsUntouched() throws Exception {
    log = Log.open(dir, LogConfig.DEFAULT, scheduler, false);
    for (Compression compression :
        List.of(Compression.NONE, Compression.gzip().build(), Compression.zstd().build())) {
      MemoryRecords records =
          MemoryRecords.withRecords(
              RecordBatch.MAGIC_VALUE_V2,
              0L,
              compression,
              org.apache.kafka.common.record.TimestampType.CREATE_TIME,
              new SimpleRecord(
                  5L, "k".getBytes(StandardCharsets.UTF_8), "v1".getBytes(StandardCharsets.UTF_8)),
              new SimpleRecord(6L, null, "v2".getBytes(StandardCharsets.UTF_8)));
      log.append(records.buffer().duplicate()).get();
    }
    ByteBuffer stored = log.read(0, 1 << 20, true).readAll();
    MemoryRecords readBack = MemoryRecords.readableRecords(stored);
    List<Long> offsets = new ArrayList<>();
    List<String> values = new ArrayList<>();
    readBack
        .batches()
        .forEach(
            b -> {
              b.ensureValid();
              b.forEach(
                  r -> {
                    offsets.add(r.offset());
                    values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
                  });
            });
    assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(values).containsExactly("v1", "v2", "v1", "v2", "v1", "v2");
  }

  @Test
  void shouldRejectBatchWithBadCrcAndWriteNothing() throws Exception {
    log = Log.open(dir, LogConfig.DEFAULT, scheduler, false);
    ByteBuffer bad = batch("x");
    bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 1));
    assertThatThrownBy(() -> log.append(bad).get())
        .hasCauseInstanceOf(CorruptRecordException.class);
    assertThat(log.endOffset()).isZero();
    assertThat(log.sizeInBytes()).isZero();
  }

  @Test
  void shouldRejectBatchLargerThanMaxMessageBytes() {
    log = open(LogConfig.DEFAULT.withMaxBatchBytes(100));
    ByteBuffer big = batch("x".repeat(200));
    assertThatThrownBy(() -> log.append(big).get())
        .hasCauseInstanceOf(RecordTooLargeException.class);
  }

  @Test
  void shouldRollSegmentsBySizeAndReadAcrossThem() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("value-" + i);
      log.append(batch("value-" + i)).get();
    }
    assertThat(log.segmentCount()).isGreaterThan(5);
    assertThat(readAll(0)).isEqualTo(expected);
    assertThat(readAll(57)).isEqualTo(expected.subList(57, 100));
  }

  @Test
  void shouldReopenAfterCleanCloseWithSameContent() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024));
    for (int i = 0; i < 50; i++) {
      log.append(batch("v" + i)).get();
    }
    log.close();
    log = Log.open(dir, LogConfig.DEFAULT.withSegmentBytes(1024), scheduler, true);
    assertThat(log.endOffset()).isEqualTo(50);
    assertThat(readAll(0)).hasSize(50).startsWith("v0").endsWith("v49");
    log.append(batch("more")).get();
    assertThat(log.endOffset()).isEqualTo(51);
  }

  @Test
  void shouldRecoverANewLogThatStoppedBeforeItsFirstCheckpoint() throws Exception {
    LogScheduler crashed = new LogScheduler();
    Log abandoned = Log.open(dir, LogConfig.DEFAULT, crashed, true);
    assertThat(dir.resolve(LogCheckpoint.FILE))
        .as("a new log is not checkpointed until it has something to keep")
        .doesNotExist();
    for (int i = 0; i < 10; i++) {
      abandoned.append(batch("c" + i)).get();
    }
    crashed.close();

    log = Log.open(dir, LogConfig.DEFAULT, scheduler, false);
    assertThat(readAll(0)).hasSize(10).startsWith("c0").endsWith("c9");
    log.append(batch("after")).get();
    assertThat(log.endOffset()).isEqualTo(11);
  }

  @Test
  void shouldDeleteItsDirectoryWhateverItHolds() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024));
    for (int i = 0; i < 50; i++) {
      log.append(batch("v" + i)).get();
    }
    CompletableFuture<AppendResult> last = log.append(batch("last"));
    log.delete();
    assertThat(last).succeedsWithin(java.time.Duration.ofSeconds(5));
    assertThat(dir).doesNotExist();
    log = Log.open(dir, LogConfig.DEFAULT, scheduler, true);
    assertThat(log.endOffset()).isZero();
  }

  @Test
  void shouldShareOneFsyncAmongConcurrentAppends() throws Exception {
    log = open(LogConfig.DEFAULT);
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      futures.add(log.append(batch("r" + i)));
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get();
    assertThat(log.highWatermark()).isEqualTo(1000);
    assertThat(log.fsyncCount()).isLessThan(1000);
  }

  @Test
  void shouldFindOffsetByTimestamp() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024));
    for (int i = 0; i < 100; i++) {
      log.append(new RecordBatchBuilder(i * 10L).append(i * 10L, null, new byte[20]).build()).get();
    }
    assertThat(log.offsetForTimestamp(0)).isZero();
    assertThat(log.offsetForTimestamp(505)).isEqualTo(51);
    assertThat(log.offsetForTimestamp(990)).isEqualTo(99);
    assertThat(log.offsetForTimestamp(991)).isEqualTo(-1);
  }

  @Test
  void shouldDeleteOldSegmentsByRetentionBytesAndMoveStartOffset() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024).withRetention(2048, -1));
    for (int i = 0; i < 100; i++) {
      log.append(batch("value-" + i)).get();
    }
    int deleted = log.applyRetention();
    assertThat(deleted).isPositive();
    assertThat(log.sizeInBytes()).isLessThan(2048 + 1024);
    assertThat(log.startOffset()).isPositive();
    assertThatThrownBy(() -> log.read(0, 100, true)).isInstanceOf(OffsetOutOfRangeException.class);
    assertThat(readAll(log.startOffset())).endsWith("value-99");
  }

  @Test
  void shouldTruncateToBatchBoundary() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024));
    for (int i = 0; i < 60; i++) {
      log.append(batch("v" + i)).get();
    }
    log.truncateTo(20);
    assertThat(log.endOffset()).isEqualTo(20);
    assertThat(readAll(0)).hasSize(20).endsWith("v19");
    log.append(batch("after")).get();
    assertThat(readAll(20)).containsExactly("after");
  }

  @Test
  void shouldStampLogAppendTimeWhenConfigured() throws Exception {
    log = open(LogConfig.DEFAULT.withLogAppendTime(true));
    AppendResult result = log.append(batch("x")).get();
    assertThat(result.logAppendTime()).isPositive();
    List<LogRecord> records = new ArrayList<>();
    RecordReader.forEach(log.read(0, 1000, true).readAll(), records::add);
    assertThat(records.get(0).timestamp()).isEqualTo(result.logAppendTime());
  }

  @Test
  void shouldKeepAcceptingAppendsAfterTruncatingIntoASegmentAwaitingItsSeal() throws Exception {
    LogScheduler oneFlusher = new LogScheduler(1, System::currentTimeMillis);
    try {
      CountDownLatch release = new CountDownLatch(1);
      oneFlusher.flush(() -> awaitQuietly(release));
      log =
          Log.open(
              dir,
              LogConfig.DEFAULT
                  .withSegmentBytes(1024)
                  .withIndexIntervalBytes(64)
                  .withDurability(Durability.NEVER),
              oneFlusher,
              false);
      for (int i = 0; i < 30; i++) {
        log.append(batch("v" + i)).get();
      }
      assertThat(log.segmentCount()).isGreaterThan(2);
      // Segment 0 rolled, but the flusher that would seal it is still blocked.
      log.truncateTo(5);
      release.countDown();
      drain(oneFlusher);

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        expected.add("v" + i);
      }
      for (int i = 0; i < 30; i++) {
        log.append(batch("again" + i)).get();
        expected.add("again" + i);
      }
      assertThat(readAll(0)).isEqualTo(expected);
      log.close();
      log = Log.open(dir, LogConfig.DEFAULT, scheduler, true);
      assertThat(readAll(0)).isEqualTo(expected);
    } finally {
      if (log != null) {
        log.close();
      }
      oneFlusher.close();
    }
  }

  @Test
  void shouldFailAppendsWaitingForDataThatTruncationRemoved() throws Exception {
    LogScheduler oneFlusher = new LogScheduler(1, System::currentTimeMillis);
    try {
      log = Log.open(dir, LogConfig.DEFAULT, oneFlusher, false);
      log.append(batch("kept")).get();
      CountDownLatch release = new CountDownLatch(1);
      oneFlusher.flush(() -> awaitQuietly(release));
      CompletableFuture<AppendResult> waiting = log.append(batch("removed"));
      log.truncateTo(1);
      release.countDown();
      assertThatThrownBy(waiting::get).hasCauseInstanceOf(StorageException.class);
      assertThat(log.endOffset()).isEqualTo(1);
      assertThat(readAll(0)).containsExactly("kept");
    } finally {
      log.close();
      oneFlusher.close();
    }
  }

  @Test
  void shouldNeverReportAHighWatermarkBeyondTheEndAfterTruncation() throws Exception {
    LogScheduler oneFlusher = new LogScheduler(1, System::currentTimeMillis);
    Path fast = LogContents.scratchDirectory("log-test"); // the race is in memory, not on disk
    try {
      log =
          Log.open(
              fast,
              LogConfig.DEFAULT.withSegmentBytes(1024).withDurability(Durability.NEVER),
              oneFlusher,
              false);
      for (int i = 0; i < 60; i++) {
        for (int b = 0; b < 3; b++) {
          log.append(batch("x".repeat(300))).get();
        }
        log.truncateTo(log.endOffset() - 2);
        drain(oneFlusher);
        assertThat(log.highWatermark()).as("round %d", i).isEqualTo(log.endOffset());
      }
    } finally {
      log.close();
      oneFlusher.close();
      LogContents.deleteTree(fast);
    }
  }

  @Test
  void shouldPersistAStartOffsetThatTruncationMovedBack() throws Exception {
    LogScheduler crashing = new LogScheduler(1, System::currentTimeMillis);
    Log before = Log.open(dir, LogConfig.DEFAULT, crashing, false);
    before.append(batch("a0", "a1", "a2", "a3", "a4")).get();
    before.append(batch("b5", "b6", "b7", "b8", "b9")).get();
    before.deleteRecordsBefore(7);
    before.truncateTo(8); // inside the batch that straddles the start offset
    assertThat(before.startOffset()).isEqualTo(5);
    assertThat(before.endOffset()).isEqualTo(5);
    crashing.close(); // the process dies without closing the log

    log = Log.open(dir, LogConfig.DEFAULT, scheduler, false);
    assertThat(log.startOffset()).isEqualTo(5);
    assertThat(log.endOffset()).isEqualTo(5);
    log.append(batch("c5")).get();
    assertThat(readAll(5)).containsExactly("c5");
  }

  @Test
  void shouldFindOffsetsByTimestampAfterReopen() throws Exception {
    log = open(LogConfig.DEFAULT.withSegmentBytes(1024).withIndexIntervalBytes(100));
    for (int i = 0; i < 100; i++) {
      log.append(new RecordBatchBuilder(i * 10L).append(i * 10L, null, new byte[20]).build()).get();
    }
    log.close();
    log = Log.open(dir, LogConfig.DEFAULT.withSegmentBytes(1024), scheduler, true);
    assertThat(log.offsetForTimestamp(0)).isZero();
    assertThat(log.offsetForTimestamp(505)).isEqualTo(51);
    assertThat(log.offsetForTimestamp(990)).isEqualTo(99);
    assertThat(log.offsetForTimestamp(991)).isEqualTo(-1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every task queued on the (single) flush thread before now has run. */
  private static void drain(LogScheduler oneFlusher) throws InterruptedException {
    CountDownLatch drained = new CountDownLatch(1);
    oneFlusher.flush(drained::countDown);
    drained.await();
  }

  private Log open(LogConfig config) {
    try {
      return Log.open(dir, config, scheduler, false);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
