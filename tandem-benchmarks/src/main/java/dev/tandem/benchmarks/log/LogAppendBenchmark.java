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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of one {@link Log}: each invocation appends one prebuilt batch and waits for
 * its future, so under {@link Durability#FSYNC} every invocation includes the fsync that covers it.
 * The primary score is appends/s; the {@link AppendCounters} give records/s, MB/s and fsyncs/s.
 *
 * <p>Each iteration starts from an empty log with the default settings (segment.bytes 1 GiB) and
 * deletes it afterwards (discarding unwritten pages first), so the disk holds at most one
 * iteration's data and no iteration pays for the previous one's writeback.
 *
 * <p>State is per benchmark (one log); run with {@code -t N} for N appenders to the same log.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 5)
public class LogAppendBenchmark {
  @Param({"100", "1024"})
  public int recordBytes;

  @Param({"1", "100", "1000"})
  public int batchRecords;

  @Param({"FSYNC", "NEVER"})
  public Durability durability;

  private BenchmarkDirectory directory;
  private LogScheduler scheduler;
  private Log log;
  private final FsyncTally fsyncs = new FsyncTally();

  /** The batch one benchmark thread appends, again and again. */
  @State(Scope.Thread)
  public static class Appender {
    SampleBatch batch;

    @Setup(Level.Trial)
    public void build(LogAppendBenchmark benchmark) {
      batch = new SampleBatch(benchmark.batchRecords, benchmark.recordBytes);
    }
  }

  @Setup(Level.Trial)
  public void createDirectory() throws IOException {
    directory = BenchmarkDirectory.create("append");
    scheduler = new LogScheduler();
  }

  @Setup(Level.Iteration)
  public void openLog() throws IOException {
    LogConfig config = LogConfig.DEFAULT.withDurability(durability);
    log = Log.open(directory.path().resolve("log"), config, scheduler, false);
    fsyncs.reset(log);
  }

  @Benchmark
  public AppendResult append(Appender appender, AppendCounters counters) {
    SampleBatch batch = appender.batch;
    AppendResult result = log.append(batch.duplicate()).join();
    counters.onAppend(batch.records(), batch.sizeInBytes(), fsyncs.claim(log));
    return result;
  }

  @TearDown(Level.Iteration)
  public void deleteLog() throws IOException {
    BenchmarkDirectory.discardData(log.dir());
    log.delete();
  }

  @TearDown(Level.Trial)
  public void deleteDirectory() throws IOException {
    scheduler.close();
    directory.close();
  }
}
