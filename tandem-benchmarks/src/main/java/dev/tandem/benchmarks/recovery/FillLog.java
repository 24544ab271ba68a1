package dev.tandem.benchmarks.recovery;

import dev.tandem.benchmarks.SampleBatch;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;

/**
 * The crashing half of {@code bin/recovery-time.sh}: opens a data directory, appends batches of 100
 * records of 1 KiB to log {@value #LOG_NAME} under the default durability (fsync, each append
 * waited for) until the log holds {@code TARGET_BYTES} (never rolling past it), prints a line
 * starting {@code filled} and then waits, log open, to be killed with SIGKILL.
 *
 * <p>Usage: {@code FillLog DATA_DIR SEGMENT_BYTES TARGET_BYTES}
 */
public final class FillLog {
  static final String LOG_NAME = "bench";
  static final int RECORD_BYTES = 1024;
  static final int BATCH_RECORDS = 100;
  private static final long PROGRESS_BYTES = 128L << 20;

  private FillLog() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: FillLog DATA_DIR SEGMENT_BYTES TARGET_BYTES");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int segmentBytes = Integer.parseInt(args[1]);
    long targetBytes = Long.parseLong(args[2]);
    SampleBatch batch = new SampleBatch(BATCH_RECORDS, RECORD_BYTES);
    LogDirectory directory = LogDirectory.open(dataDir);
    Log log = directory.openLog(LOG_NAME, LogConfig.DEFAULT.withSegmentBytes(segmentBytes));
    long start = System.nanoTime();
    long nextProgress = PROGRESS_BYTES;
    long size = log.sizeInBytes();
    while (size + batch.sizeInBytes() <= targetBytes) {
      log.append(batch.duplicate()).join();
      size += batch.sizeInBytes();
      if (size >= nextProgress) {
        System.out.printf("appended %d MiB%n", size >> 20);
        nextProgress += PROGRESS_BYTES;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "filled bytes=%d segments=%d endOffset=%d fsyncs=%d seconds=%.1f MB/s=%.1f%n",
        log.sizeInBytes(),
        log.segmentCount(),
        log.endOffset(),
        log.fsyncCount(),
        seconds,
        size / 1e6 / seconds);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
