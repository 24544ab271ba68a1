package dev.tandem.benchmarks.log;

import dev.tandem.benchmarks.BenchmarkDirectory;
import dev.tandem.benchmarks.SampleBatch;
import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.log.LogScheduler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Group commit under {@link Durability#FSYNC}: N threads each append a batch of one record and wait
 * for it, all to one log. One fsync covers every append that arrived while the previous one ran, so
 * records/s should grow with N while fsyncs/s stays near the disk's fsync rate. Results: the
 * primary score and {@code records} are records/s, {@code fsyncs} is fsyncs/s ({@link
 * Log#fsyncCount()}).
 *
 * <p>One method per thread count, since JMH takes {@code @Threads} per method.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 5)
public class GroupCommitBenchmark {
  @Param({"100"})
  public int recordBytes;

  private BenchmarkDirectory directory;
  private LogScheduler scheduler;
  private Log log;
  private final FsyncTally fsyncs = new FsyncTally();

  /** The one-record batch one appender thread appends. */
  @State(Scope.Thread)
  public static class Appender {
    SampleBatch batch;

    @Setup(Level.Trial)
    public void build(GroupCommitBenchmark benchmark) {
      batch = new SampleBatch(1, benchmark.recordBytes);
    }
  }

  @Setup(Level.Trial)
  public void openLog() throws IOException {
    directory = BenchmarkDirectory.create("group-commit");
    scheduler = new LogScheduler();
    LogConfig config = LogConfig.DEFAULT.withDurability(Durability.FSYNC);
    log = Log.open(directory.path().resolve("log"), config, scheduler, false);
  }

  @Setup(Level.Iteration)
  public void markFsyncs() {
    fsyncs.reset(log);
  }

  @Benchmark
  @Threads(1)
  public AppendResult threads01(Appender appender, AppendCounters counters) {
    return append(appender, counters);
  }

  @Benchmark
  @Threads(8)
  public AppendResult threads08(Appender appender, AppendCounters counters) {
    return append(appender, counters);
  }

  @Benchmark
  @Threads(32)
  public AppendResult threads32(Appender appender, AppendCounters counters) {
    return append(appender, counters);
  }

  @Benchmark
  @Threads(64)
  public AppendResult threads64(Appender appender, AppendCounters counters) {
    return append(appender, counters);
  }

  private AppendResult append(Appender appender, AppendCounters counters) {
    SampleBatch batch = appender.batch;
    AppendResult result = log.append(batch.duplicate()).join();
    counters.onAppend(batch.records(), batch.sizeInBytes(), fsyncs.claim(log));
    return result;
  }

  @TearDown(Level.Trial)
  public void deleteLog() throws IOException {
    log.delete();
    scheduler.close();
    directory.close();
  }
}
