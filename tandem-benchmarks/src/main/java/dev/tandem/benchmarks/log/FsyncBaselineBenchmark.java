package dev.tandem.benchmarks.log;

import dev.tandem.benchmarks.BenchmarkDirectory;
import dev.tandem.benchmarks.SampleBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
 * The control for {@link LogAppendBenchmark} under {@code FSYNC}: the same batch written to a plain
 * file with {@code FileChannel.write} and {@code force(false)} (fdatasync) in the calling thread,
 * no log, no hand-off to a flush thread. What the disk gives one synchronous writer at this moment;
 * the log's MB/s divided by this one is the engine's own cost, with the disk's drift divided out.
 *
 * <p>Each iteration writes a fresh file, deleted afterwards.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 5)
public class FsyncBaselineBenchmark {
  @Param({"1024"})
  public int recordBytes;

  @Param({"100"})
  public int batchRecords;

  private BenchmarkDirectory directory;
  private SampleBatch batch;
  private FileChannel channel;
  private long position;

  @Setup(Level.Trial)
  public void createDirectory() throws IOException {
    directory = BenchmarkDirectory.create("fsync-baseline");
    batch = new SampleBatch(batchRecords, recordBytes);
  }

  @Setup(Level.Iteration)
  public void openFile() throws IOException {
    channel =
        FileChannel.open(
            directory.path().resolve("data"),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    position = 0;
  }

  @Benchmark
  public long writeAndFsync(AppendCounters counters) throws IOException {
    ByteBuffer bytes = batch.duplicate();
    while (bytes.hasRemaining()) {
      position += channel.write(bytes, position);
    }
    channel.force(false);
    counters.onAppend(batch.records(), batch.sizeInBytes(), 1);
    return position;
  }

  @TearDown(Level.Iteration)
  public void deleteFile() throws IOException {
    channel.close();
    BenchmarkDirectory.deleteRecursively(directory.path().resolve("data"));
  }

  @TearDown(Level.Trial)
  public void deleteDirectory() throws IOException {
    directory.close();
  }
}
