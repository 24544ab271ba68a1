package dev.tandem.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.LogContents.Entry;
import dev.tandem.storage.log.LogContents.SegmentFile;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Model test of {@link Log}: random sequences of appends (one or more batches, random sizes), reads
 * with random limits, rolls (by size and by segment.ms), truncation, retention by size,
 * DeleteRecords and reopens (clean, unclean, crash) run against an in-memory list of batches. After
 * every step the offsets, the high watermark and the records read from any offset must match.
 */
class LogModelTest {
  private static final long SEGMENT_MS = 3_600_000L;

  /** One step of a generated sequence. */
  sealed interface Step
      permits Append, Read, AgeSegment, Truncate, DeleteBefore, Retention, Reopen {}

  /** A record to append; its timestamp is the test clock plus {@code timestampDelta}. */
  record Rec(byte[] key, byte[] value, int timestampDelta) {
    @Override
    public String toString() {
      return "Rec(key "
          + (key == null ? "null" : key.length + "B")
          + ", value "
          + (value == null ? "null" : value.length + "B")
          + ", ts+"
          + timestampDelta
          + ")";
    }
  }

  record Append(List<List<Rec>> batches) implements Step {}

  record Read(int offsetSeed, int maxBytes, boolean minOneBatch) implements Step {}

  /** Moves the clock past segment.ms so that the next append to a non-empty segment rolls. */
  record AgeSegment() implements Step {}

  record Truncate(int offsetSeed) implements Step {}

  record DeleteBefore(int offsetSeed) implements Step {}

  record Retention() implements Step {}

  enum Shutdown {
    CLEAN,
    UNCLEAN,
    CRASH
  }

  record Reopen(Shutdown shutdown) implements Step {}

  private record ModelBatch(long baseOffset, List<Entry> records) {
    long lastOffset() {
      return baseOffset + records.size() - 1;
    }

    long maxTimestamp() {
      return records.stream().mapToLong(Entry::timestamp).max().orElseThrow();
    }
  }

  @Property(tries = 120)
  void shouldMatchInMemoryModelAcrossAppendReadRollTruncateRetentionAndReopen(
      @ForAll("configs") LogConfig config, @ForAll("steps") List<Step> steps, @ForAll Random random)
      throws Exception {
    try (Run run = new Run(config, random)) {
      run.check();
      for (Step step : steps) {
        run.apply(step);
        run.check();
      }
      run.checkEveryOffset();
      Statistics.label("rolled").collect(run.rolls > 0);
      Statistics.label("steps").collect(steps.size() / 10 * 10);
    }
    Statistics.label("rolled").coverage(coverage -> coverage.check(true).percentage(p -> p > 60));
  }

  @Provide
  Arbitrary<LogConfig> configs() {
    return Combinators.combine(
            Arbitraries.integers().between(1024, 4096),
            Arbitraries.integers().between(1, 600),
            Arbitraries.frequencyOf(
                List.of(
                    Tuple.of(1, Arbitraries.just(-1L)),
                    Tuple.of(1, Arbitraries.longs().between(2048, 8192)))),
            Arbitraries.frequencyOf(
                List.of(
                    Tuple.of(3, Arbitraries.just(Durability.FSYNC)),
                    Tuple.of(1, Arbitraries.just(Durability.NEVER)))),
            Arbitraries.of(false, false, false, true))
        .as(
            (segmentBytes, indexInterval, retentionBytes, durability, appendTime) ->
                LogConfig.DEFAULT
                    .withSegmentBytes(segmentBytes)
                    .withIndexIntervalBytes(indexInterval)
                    .withRetention(retentionBytes, -1)
                    .withSegmentMs(SEGMENT_MS)
                    .withDurability(durability)
                    .withLogAppendTime(appendTime));
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.3);
    Arbitrary<Rec> records =
        Combinators.combine(keys, bytes.injectNull(0.1), Arbitraries.integers().between(-500, 500))
            .as(Rec::new);
    Arbitrary<Step> append =
        records.list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1).ofMaxSize(3).map(Append::new);
    Arbitrary<Integer> seed = Arbitraries.integers().between(0, 1_000_000);
    Arbitrary<Step> read =
        Combinators.combine(
                seed, Arbitraries.integers().between(0, 3000), Arbitraries.of(true, false))
            .as(Read::new);
    Arbitrary<Step> age = Arbitraries.just(new AgeSegment());
    Arbitrary<Step> truncate = seed.map(Truncate::new);
    Arbitrary<Step> deleteBefore = seed.map(DeleteBefore::new);
    Arbitrary<Step> retention = Arbitraries.just(new Retention());
    Arbitrary<Step> reopen = Arbitraries.of(Shutdown.class).map(Reopen::new);
    return Arbitraries.frequencyOf(
            List.of(
                Tuple.of(12, append),
                Tuple.of(3, read),
                Tuple.of(1, age),
                Tuple.of(2, truncate),
                Tuple.of(2, deleteBefore),
                Tuple.of(1, retention),
                Tuple.of(2, reopen)))
        .list()
        .ofMinSize(5)
        .ofMaxSize(40)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  /** One try: a log in a fresh directory, the model, and what the model knows about rolling. */
  private static final class Run implements AutoCloseable {
    private final Path dir;
    private final LogConfig config;
    private final Random random;
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private final List<ModelBatch> batches = new ArrayList<>();
    private LogScheduler scheduler;
    private Log log;
    private long start;
    private long end;

    /** The active segment is certainly older than segment.ms. */
    private boolean aged;

    /** The active segment may be older than segment.ms (after a truncation or a reopen). */
    private boolean mayBeOld;

    private boolean anyAged;
    private int rolls;

    Run(LogConfig config, Random random) throws IOException {
      this.dir = LogContents.scratchDirectory("log-model");
      this.config = config;
      this.random = random;
      open(false);
    }

    private void open(boolean clean) throws IOException {
      scheduler = new LogScheduler(1, clock::get);
      log = Log.open(dir, config, scheduler, clean);
    }

    void apply(Step step) throws Exception {
      if (step instanceof Append append) {
        append(append);
      } else if (step instanceof Read read) {
        read(read);
      } else if (step instanceof AgeSegment) {
        clock.addAndGet(SEGMENT_MS + 60_000);
        aged = true;
        anyAged = true;
      } else if (step instanceof Truncate truncate) {
        truncate(pick(truncate.offsetSeed(), end));
      } else if (step instanceof DeleteBefore delete) {
        long offset = pick(delete.offsetSeed(), log.highWatermark());
        log.deleteRecordsBefore(offset);
        start = Math.max(start, offset);
        checkRetention();
      } else if (step instanceof Retention) {
        log.applyRetention();
        checkRetention();
      } else if (step instanceof Reopen reopen) {
        reopen(reopen.shutdown());
      }
    }

    private long pick(long seed, long limit) {
      return start + seed % (limit - start + 1);
    }

    private void append(Append append) throws Exception {
      List<ByteBuffer> built = new ArrayList<>();
      long now = clock.get();
      for (List<Rec> batch : append.batches()) {
        RecordBatchBuilder builder = new RecordBatchBuilder(now);
        for (Rec rec : batch) {
          builder.append(now + rec.timestampDelta(), rec.key(), rec.value());
        }
        built.add(builder.build());
      }
      ByteBuffer buffer = LogContents.concat(built);
      List<SegmentFile> before = LogContents.segmentFiles(dir);
      SegmentFile active = before.get(before.size() - 1);
      boolean nonEmpty = active.size() > 0;
      boolean mustRoll =
          nonEmpty && (active.size() + buffer.remaining() > config.segmentBytes() || aged);
      boolean mayRoll = mustRoll || (nonEmpty && mayBeOld);

      AppendResult result = log.append(buffer).get(10, TimeUnit.SECONDS);

      int records = append.batches().stream().mapToInt(List::size).sum();
      assertThat(result.firstOffset()).as("first offset").isEqualTo(end);
      assertThat(result.lastOffset()).as("last offset").isEqualTo(end + records - 1);
      assertThat(result.logStartOffset()).as("log start offset in result").isEqualTo(start);
      for (List<Rec> batch : append.batches()) {
        List<Entry> entries = new ArrayList<>();
        for (Rec rec : batch) {
          long timestamp =
              config.logAppendTime() ? result.logAppendTime() : now + rec.timestampDelta();
          entries.add(
              new Entry(
                  end + entries.size(),
                  LogContents.hex(rec.key()),
                  LogContents.hex(rec.value()),
                  timestamp));
        }
        batches.add(new ModelBatch(end, entries));
        end += entries.size();
      }

      int added = LogContents.segmentFiles(dir).size() - before.size();
      if (mustRoll) {
        assertThat(added).as("segments added by an append that must roll").isEqualTo(1);
      } else if (!mayRoll) {
        assertThat(added).as("segments added by an append that must not roll").isZero();
      } else {
        assertThat(added).isBetween(0, 1);
      }
      if (added == 1) {
        rolls++;
        aged = false;
        mayBeOld = false;
      }
    }

    private void read(Read read) throws IOException {
      long offset = pick(read.offsetSeed(), end);
      FileSlice slice = log.read(offset, read.maxBytes(), read.minOneBatch());
      List<Entry> expected = expectedFrom(offset);
      if (offset == end) {
        assertThat(slice.isEmpty()).as("read at the end offset").isTrue();
        return;
      }
      List<Entry> got =
          LogContents.entries(slice.readAll()).stream().filter(e -> e.offset() >= offset).toList();
      assertThat(got).isEqualTo(expected.subList(0, got.size()));
      if (read.minOneBatch()) {
        assertThat(got).as("a minOneBatch read returns the batch holding the offset").isNotEmpty();
      } else {
        assertThat(slice.size())
            .as("slice size within the byte limit")
            .isLessThanOrEqualTo(read.maxBytes());
      }
    }

    private void truncate(long offset) throws IOException {
      log.truncateTo(offset);
      if (offset < end) {
        ModelBatch holding =
            batches.stream()
                .filter(b -> b.baseOffset() <= offset && offset <= b.lastOffset())
                .findFirst()
                .orElseThrow();
        end = holding.baseOffset();
        batches.removeIf(b -> b.baseOffset() >= end);
        start = Math.min(start, end);
        mayBeOld = anyAged;
      }
    }

    /**
     * Retention deletes whole segments from the oldest while one is below the start offset or the
     * log is too big without it, so afterwards the oldest segment fits neither condition.
     */
    private void checkRetention() throws IOException {
      List<SegmentFile> segments = LogContents.segmentFiles(dir);
      start = Math.max(start, segments.get(0).baseOffset());
      batches.removeIf(b -> b.lastOffset() < start);
      if (segments.size() > 1) {
        long total = segments.stream().mapToLong(SegmentFile::size).sum();
        assertThat(segments.get(1).baseOffset())
            .as("retention keeps no segment wholly below the start offset")
            .isGreaterThan(start);
        if (config.retentionBytes() >= 0) {
          assertThat(total - segments.get(0).size())
              .as("retention stops once deleting more would go below retention.bytes")
              .isLessThan(config.retentionBytes());
        }
      }
    }

    private void reopen(Shutdown shutdown) throws IOException {
      switch (shutdown) {
        case CLEAN, UNCLEAN -> log.close();
        case CRASH -> {
          // The process "dies": the log is abandoned, not closed; its threads are stopped so that
          // nothing it scheduled runs against the next incarnation.
        }
      }
      scheduler.close();
      open(shutdown == Shutdown.CLEAN);
      // A reopened segment ages from its file's creation time on the real clock, which the test
      // clock has left behind once it was moved forward.
      mayBeOld = anyAged;
    }

    private List<Entry> expectedFrom(long offset) {
      List<Entry> expected = new ArrayList<>();
      for (ModelBatch batch : batches) {
        for (Entry entry : batch.records()) {
          if (entry.offset() >= offset) {
            expected.add(entry);
          }
        }
      }
      return expected;
    }

    void check() throws IOException {
      assertThat(log.startOffset()).as("start offset").isEqualTo(start);
      assertThat(log.endOffset()).as("end offset").isEqualTo(end);
      assertThat(log.highWatermark()).as("high watermark").isEqualTo(end);
      assertThat(log.isOffline()).as("offline").isFalse();
      assertThat(LogContents.readFrom(log, start, 1 + random.nextInt(3000)))
          .as("records from the start offset")
          .isEqualTo(expectedFrom(start));
      if (end > start) {
        long offset = start + random.nextLong(end - start);
        assertThat(LogContents.readFrom(log, offset, random.nextInt(3000)))
            .as("records from offset %d", offset)
            .isEqualTo(expectedFrom(offset));
      }
      checkOffsetForTimestamp(clock.get() - 600 + random.nextInt(1200));
      assertThat(log.read(end, 1000, true).isEmpty()).as("read at end offset").isTrue();
      assertThatThrownBy(() -> log.read(end + 1, 1000, true))
          .isInstanceOf(OffsetOutOfRangeException.class);
      if (start > 0) {
        assertThatThrownBy(() -> log.read(start - 1, 1000, true))
            .isInstanceOf(OffsetOutOfRangeException.class);
      }
    }

    /**
     * ListOffsets by timestamp answers with a batch, not a record: the answer may come early, but
     * never skips a batch that has a record at or after the timestamp.
     */
    private void checkOffsetForTimestamp(long timestamp) throws IOException {
      long found = log.offsetForTimestamp(timestamp);
      ModelBatch first =
          batches.stream().filter(b -> b.maxTimestamp() >= timestamp).findFirst().orElse(null);
      if (found < 0) {
        assertThat(first).as("offset for timestamp %d", timestamp).isNull();
        return;
      }
      assertThat(found).as("offset for timestamp %d", timestamp).isBetween(start, end);
      if (first == null) {
        assertThat(found).as("only data below the start offset matches").isEqualTo(start);
      } else {
        assertThat(found).isLessThanOrEqualTo(Math.max(start, first.baseOffset()));
        batches.stream()
            .filter(b -> b.lastOffset() < found)
            .forEach(b -> assertThat(b.maxTimestamp()).isLessThan(timestamp));
      }
    }

    /** A read at every offset returns the batch holding it and then the right records. */
    void checkEveryOffset() throws IOException {
      List<Entry> all = expectedFrom(start);
      for (int i = 0; i < all.size(); i++) {
        long offset = all.get(i).offset();
        List<Entry> got =
            LogContents.entries(log.read(offset, random.nextInt(2000), true).readAll()).stream()
                .filter(e -> e.offset() >= offset)
                .toList();
        assertThat(got).isNotEmpty().isEqualTo(all.subList(i, i + got.size()));
      }
    }

    @Override
    public void close() throws IOException {
      try {
        log.close();
        scheduler.close();
      } finally {
        LogContents.deleteTree(dir);
      }
    }
  }
}
