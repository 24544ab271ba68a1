package dev.tandem.benchmarks.log;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary results of the append benchmarks, which JMH divides by the measured time and sums over
 * threads: {@code records} is records/s, {@code mbytes} is MB/s (10^6 bytes, as dd reports; batch
 * headers included, since that is what reaches the disk) and {@code fsyncs} is fsyncs/s.
 *
 * <p>One per benchmark thread, reset before every iteration; not thread-safe.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class AppendCounters {
  private long records;
  private long bytes;
  private long fsyncs;

  @Setup(Level.Iteration)
  public void reset() {
    records = 0;
    bytes = 0;
    fsyncs = 0;
  }

  public long records() {
    return records;
  }

  public double mbytes() {
    return bytes / 1e6;
  }

  public long fsyncs() {
    return fsyncs;
  }

  void onAppend(int recordCount, int byteCount, long fsyncCount) {
    records += recordCount;
    bytes += byteCount;
    fsyncs += fsyncCount;
  }
}
