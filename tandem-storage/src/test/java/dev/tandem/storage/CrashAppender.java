package dev.tandem.storage;

import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Child process for {@link CrashRecoveryTest}: opens {@code DIR}, log {@value #LOG}, under the
 * default fsync durability, and appends single-record batches from {@code THREADS} threads until it
 * is killed. Prints {@code ready} once the log is open, then {@code ack OFFSET VALUE end} for each
 * append whose future completed, flushing every line.
 */
public final class CrashAppender {
  static final String LOG = "crash";
  static final LogConfig CONFIG =
      LogConfig.DEFAULT.withSegmentBytes(64 * 1024).withIndexIntervalBytes(1024);

  private CrashAppender() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    LogDirectory directory = LogDirectory.open(dir);
    Log log = directory.openLog(LOG, CONFIG);
    out.println("ready " + log.endOffset());
    out.flush();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      new Thread(() -> appendForever(log, thread, out), "appender-" + t).start();
    }
  }

  private static void appendForever(Log log, int thread, PrintStream out) {
    Semaphore inFlight = new Semaphore(16);
    for (long n = 0; ; n++) {
      String value = "t" + thread + "-" + n + "-" + "x".repeat((int) (n % 97));
      inFlight.acquireUninterruptibly();
      log.append(
              new RecordBatchBuilder(System.currentTimeMillis())
                  .append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8))
                  .build())
          .whenComplete(
              (result, failure) -> {
                inFlight.release();
                if (failure == null) {
                  synchronized (out) {
                    out.println("ack " + result.firstOffset() + " " + value + " end");
                    out.flush();
                  }
                }
              });
    }
  }
}
