package dev.tandem.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.index.SparseIndex;
import dev.tandem.storage.log.LogContents.Entry;
import dev.tandem.storage.log.LogContents.SegmentFile;
import dev.tandem.storage.log.LogContents.StoredBatch;
import dev.tandem.storage.record.RecordBatch;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Fault injection: a log of several segments, written and then closed or abandoned (a crash), has
 * its files damaged at random positions, and is reopened. Recovery must keep exactly the batches
 * before the damage, rebuild the indexes and go on accepting appends.
 */
class LogRecoveryTest {
  private Path dir;
  private LogScheduler scheduler;
  private Log log;
  private LogConfig config;
  private Random random;

  enum Shutdown {
    CLEAN,
    CRASH
  }

  enum IndexDamage {
    FLIP_ACTIVE_INDEX,
    FLIP_SEALED_INDEX,
    DELETE_ACTIVE_INDEXES,
    DELETE_SEALED_INDEXES
  }

  @BeforeTry
  void createDirectory() throws IOException {
    dir = LogContents.scratchDirectory("log-recovery");
  }

  @AfterTry
  void cleanUp() throws IOException {
    if (log != null) {
      log.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    LogContents.deleteTree(dir);
  }

  @Property(tries = 100)
  void shouldKeepExactlyTheValidPrefixWhenTailIsCorrupted(
      @ForAll Shutdown shutdown, @ForAll long seed) throws Exception {
    writeLog(seed, shutdown);
    SegmentFile active = activeSegment();
    List<StoredBatch> batches = LogContents.batchesIn(segmentPath(active.baseOffset()));
    int cut = random.nextInt((int) active.size());
    try (FileChannel channel = FileChannel.open(segmentPath(active.baseOffset()), writeMode())) {
      channel.truncate(cut);
    }
    List<Entry> expected = allRecordsBefore(active.baseOffset());
    for (StoredBatch batch : batches) {
      if (batch.position() + batch.size() <= cut) {
        expected.addAll(batch.records());
      }
    }

    reopen(false);

    assertRecovered(expected);
  }

  @Property(tries = 100)
  void shouldKeepExactlyTheBatchesBeforeAFlippedByteOfTheActiveSegment(
      @ForAll Shutdown shutdown, @ForAll long seed) throws Exception {
    writeLog(seed, shutdown);
    SegmentFile active = activeSegment();
    Path file = segmentPath(active.baseOffset());
    List<StoredBatch> batches = LogContents.batchesIn(file);
    int position = random.nextInt((int) active.size());
    flipByte(file, position);
    List<Entry> expected = allRecordsBefore(active.baseOffset());
    for (StoredBatch batch : batches) {
      int inBatch = position - batch.position();
      boolean damaged = inBatch >= 0 && inBatch < batch.size();
      boolean undetectable =
          inBatch >= RecordBatch.PARTITION_LEADER_EPOCH_OFFSET
              && inBatch < RecordBatch.MAGIC_OFFSET;
      if (damaged && !undetectable) {
        break;
      }
      expected.addAll(batch.records());
    }

    reopen(false);

    assertRecovered(expected);
  }

  @Property(tries = 100)
  void shouldRebuildDamagedOrMissingIndexes(
      @ForAll Shutdown shutdown,
      @ForAll IndexDamage damage,
      @ForAll boolean reopenClean,
      @ForAll long seed)
      throws Exception {
    writeLog(seed, shutdown);
    List<SegmentFile> segments = LogContents.segmentFiles(dir);
    long activeBase = segments.get(segments.size() - 1).baseOffset();
    long sealedBase = segments.get(random.nextInt(segments.size() - 1)).baseOffset();
    String suffix = random.nextBoolean() ? LogSegment.INDEX_SUFFIX : LogSegment.TIME_INDEX_SUFFIX;
    switch (damage) {
      case FLIP_ACTIVE_INDEX -> flipRandomByte(indexPath(activeBase, suffix));
      case FLIP_SEALED_INDEX -> flipRandomByte(indexPath(sealedBase, suffix));
      case DELETE_ACTIVE_INDEXES -> deleteIndexes(activeBase);
      case DELETE_SEALED_INDEXES -> deleteIndexes(sealedBase);
    }
    List<Entry> expected = allRecordsBefore(Long.MAX_VALUE);

    // Only a clean close may be followed by an open that trusts it.
    reopen(reopenClean && shutdown == Shutdown.CLEAN);

    assertRecovered(expected);
  }

  private void writeLog(long seed, Shutdown shutdown) throws Exception {
    random = new Random(seed);
    config =
        LogConfig.DEFAULT
            .withSegmentBytes(1024 + random.nextInt(1024))
            .withIndexIntervalBytes(32 + random.nextInt(256));
    scheduler = new LogScheduler(1, System::currentTimeMillis);
    log = Log.open(dir, config, scheduler, false);
    int batches = 20 + random.nextInt(40);
    for (int i = 0; i < batches || LogContents.segmentFiles(dir).size() < 3; i++) {
      log.append(randomBatch()).get(10, TimeUnit.SECONDS);
    }
    // The last batch lands in the active segment, so that it holds something to damage.
    log.append(randomBatch()).get(10, TimeUnit.SECONDS);
    assertThat(LogContents.segmentFiles(dir)).hasSizeGreaterThan(2);
    if (shutdown == Shutdown.CLEAN) {
      log.close();
    }
    // After a crash the log is abandoned; stopping its threads keeps it from touching the files.
    scheduler.close();
    log = null;
  }

  private ByteBuffer randomBatch() {
    long now = System.currentTimeMillis();
    RecordBatchBuilder builder = new RecordBatchBuilder(now);
    int records = 1 + random.nextInt(4);
    for (int r = 0; r < records; r++) {
      byte[] value = new byte[random.nextInt(120)];
      random.nextBytes(value);
      byte[] key = random.nextBoolean() ? null : new byte[] {(byte) r};
      builder.append(now + random.nextInt(1000) - 500, key, value);
    }
    return builder.build();
  }

  private void reopen(boolean clean) throws IOException {
    scheduler = new LogScheduler(1, System::currentTimeMillis);
    log = Log.open(dir, config, scheduler, clean);
  }

  private void assertRecovered(List<Entry> expected) throws Exception {
    long end = expected.isEmpty() ? activeSegment().baseOffset() : last(expected).offset() + 1;
    assertThat(log.startOffset()).isZero();
    assertThat(log.endOffset()).as("end offset after recovery").isEqualTo(end);
    assertThat(log.highWatermark()).isEqualTo(end);
    assertThat(LogContents.readAll(log)).as("records after recovery").isEqualTo(expected);
    for (int read = 0; read < 5 && !expected.isEmpty(); read++) {
      int i = random.nextInt(expected.size());
      assertThat(LogContents.readFrom(log, expected.get(i).offset(), random.nextInt(500)))
          .isEqualTo(expected.subList(i, expected.size()));
    }
    assertIndexesMatchData(false);

    List<Entry> more = new ArrayList<>(expected);
    for (int i = 0; i < 3; i++) {
      AppendResult result =
          log.append(LogContents.batch(System.currentTimeMillis(), "after-" + i))
              .get(10, TimeUnit.SECONDS);
      assertThat(result.firstOffset()).isEqualTo(end + i);
    }
    List<Entry> all = LogContents.readAll(log);
    assertThat(all.subList(0, expected.size())).isEqualTo(expected);
    assertThat(all).hasSize(expected.size() + 3);

    log.close();
    assertIndexesMatchData(true);
    reopen(true);
    assertThat(LogContents.readAll(log)).as("records after a clean reopen").isEqualTo(all);
  }

  /**
   * The index files of every sealed segment (and after a close, of every segment) must load, and
   * their entries must point at batch boundaries with the right keys. The active segment's files on
   * disk are only rewritten at seal or close, so before that they are not checked.
   */
  private void assertIndexesMatchData(boolean afterClose) throws IOException {
    List<SegmentFile> segments = LogContents.segmentFiles(dir);
    int checked = afterClose ? segments.size() : segments.size() - 1;
    for (int s = 0; s < checked; s++) {
      long base = segments.get(s).baseOffset();
      List<StoredBatch> batches = LogContents.batchesIn(segmentPath(base));
      for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
        Path file = indexPath(base, suffix);
        SparseIndex index = SparseIndex.load(file);
        assertThat(index).as("%s loads", file.getFileName()).isNotNull();
        checkEntries(index, suffix, base, batches);
      }
    }
  }

  private static void checkEntries(
      SparseIndex index, String suffix, long base, List<StoredBatch> batches) {
    for (int i = 0; i < index.count(); i++) {
      long key = index.keyAt(i);
      int value = index.valueAt(i);
      if (suffix.equals(LogSegment.INDEX_SUFFIX)) {
        assertThat(batches)
            .as("offset index entry (%d, %d) of segment %d", key, value, base)
            .anyMatch(b -> b.position() == value && b.baseOffset() == key);
      } else {
        long offset = base + value;
        long maxSoFar =
            batches.stream()
                .filter(b -> b.baseOffset() <= offset)
                .mapToLong(StoredBatch::maxTimestamp)
                .max()
                .orElseThrow();
        assertThat(key)
            .as("time index entry (%d, %d) of segment %d", key, value, base)
            .isEqualTo(maxSoFar);
      }
    }
  }

  private List<Entry> allRecordsBefore(long segmentBase) throws IOException {
    List<Entry> records = new ArrayList<>();
    for (SegmentFile segment : LogContents.segmentFiles(dir)) {
      if (segment.baseOffset() < segmentBase) {
        for (StoredBatch batch : LogContents.batchesIn(segmentPath(segment.baseOffset()))) {
          records.addAll(batch.records());
        }
      }
    }
    return records;
  }

  private SegmentFile activeSegment() throws IOException {
    return last(LogContents.segmentFiles(dir));
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private Path segmentPath(long base) {
    return dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
  }

  private Path indexPath(long base, String suffix) {
    return dir.resolve(LogSegment.fileName(base, suffix));
  }

  private void deleteIndexes(long base) throws IOException {
    Files.deleteIfExists(indexPath(base, LogSegment.INDEX_SUFFIX));
    if (random.nextBoolean()) {
      Files.deleteIfExists(indexPath(base, LogSegment.TIME_INDEX_SUFFIX));
    }
  }

  private void flipRandomByte(Path file) throws IOException {
    if (Files.exists(file)) {
      flipByte(file, random.nextInt((int) Files.size(file)));
    }
  }

  private void flipByte(Path file, int position) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[position] = (byte) (bytes[position] ^ (1 + random.nextInt(255)));
    Files.write(file, bytes);
  }

  private static StandardOpenOption[] writeMode() {
    return new StandardOpenOption[] {StandardOpenOption.WRITE};
  }
}
