package dev.tandem.benchmarks.recovery;

import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The measuring half of {@code bin/recovery-time.sh}: in a fresh JVM, times {@code
 * LogDirectory.open} and then {@code openLog}, which runs {@code Log.open(dir, config, scheduler,
 * cleanShutdown)} with the directory's clean-shutdown flag, and prints one line of results. Before
 * opening it reads what a recovery would scan: the segments from the one holding the checkpoint's
 * recovery point on.
 *
 * <p>Logging is initialised first and timed on its own, so that the open times are the storage's.
 *
 * <p>Ends with a clean close, or with {@code --halt} by halting the JVM, which leaves the directory
 * unclean again so that the next run measures recovery once more.
 *
 * <p>Usage: {@code TimeRecovery DATA_DIR SEGMENT_BYTES [--halt]}
 */
public final class TimeRecovery {
  private TimeRecovery() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--halt"))) {
      System.err.println("usage: TimeRecovery DATA_DIR SEGMENT_BYTES [--halt]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    int segmentBytes = Integer.parseInt(args[1]);
    boolean halt = args.length == 3;
    Path logDir = dataDir.resolve("logs").resolve(FillLog.LOG_NAME);
    boolean markerPresent = Files.exists(dataDir.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE));
    TreeMap<Long, Long> segments = segmentSizes(logDir);
    long recoveryPoint = recoveryPoint(logDir);
    Map.Entry<Long, Long> from = segments.floorEntry(recoveryPoint);
    Map<Long, Long> toScan = from == null ? segments : segments.tailMap(from.getKey(), true);
    long scanBytes = toScan.values().stream().mapToLong(Long::longValue).sum();
    long logBytes = segments.values().stream().mapToLong(Long::longValue).sum();

    long tLogging = System.nanoTime();
    LoggerFactory.getLogger(TimeRecovery.class);
    long t0 = System.nanoTime();
    LogDirectory directory = LogDirectory.open(dataDir);
    long t1 = System.nanoTime();
    Log log = directory.openLog(FillLog.LOG_NAME, LogConfig.DEFAULT.withSegmentBytes(segmentBytes));
    long t2 = System.nanoTime();
    double logOpenMs = (t2 - t1) / 1e6;
    System.out.printf(
        "%s loggingInitMs=%.1f directoryOpenMs=%.1f logOpenMs=%.1f logBytes=%d segments=%d"
            + " scanSegments=%d scanBytes=%d scanMB/s=%s endOffset=%d%n",
        directory.wasCleanShutdown() ? "clean" : "unclean",
        (t0 - tLogging) / 1e6,
        (t1 - t0) / 1e6,
        logOpenMs,
        logBytes,
        segments.size(),
        markerPresent ? 0 : toScan.size(),
        markerPresent ? 0 : scanBytes,
        markerPresent ? "-" : String.format("%.0f", scanBytes / 1e6 / (logOpenMs / 1e3)),
        log.endOffset());
    System.out.flush();
    if (halt) {
      Runtime.getRuntime().halt(0);
    }
    directory.close();
  }

  private static TreeMap<Long, Long> segmentSizes(Path logDir) throws IOException {
    TreeMap<Long, Long> sizes = new TreeMap<>();
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = String.valueOf(file.getFileName());
        if (name.endsWith(".log")) {
          sizes.put(Long.parseLong(name.substring(0, name.length() - 4)), Files.size(file));
        }
      }
    }
    return sizes;
  }

  /** The recovery point in {@code log.checkpoint}, or the lowest offset when there is none. */
  private static long recoveryPoint(Path logDir) throws IOException {
    Path checkpoint = logDir.resolve("log.checkpoint");
    if (!Files.exists(checkpoint)) {
      return Long.MIN_VALUE;
    }
    List<String> lines = Files.readAllLines(checkpoint, StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.startsWith("recovery-point ")) {
        return Long.parseLong(line.substring("recovery-point ".length()));
      }
    }
    return Long.MIN_VALUE;
  }
}
