package dev.tandem.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where benchmarks put their logs: a fresh directory under the system property {@code
 * tandem.bench.dir}, else the environment variable {@code TANDEM_BENCH_DIR}, else {@code
 * java.io.tmpdir}. Fsync figures are only meaningful on a real disk, so a tmpfs root is reported on
 * stderr; {@code bin/disk-rate.sh} measures the same root for the dd ratio.
 *
 * <p>Not thread-safe; each benchmark trial owns one.
 */
public final class BenchmarkDirectory implements AutoCloseable {
  private final Path path;

  private BenchmarkDirectory(Path path) {
    this.path = path;
  }

  /** Creates {@code ROOT/tandem-bench-PREFIX-*}. */
  public static BenchmarkDirectory create(String prefix) throws IOException {
    Path root = root();
    Files.createDirectories(root);
    String type = Files.getFileStore(root).type();
    if (type.equals("tmpfs") || type.equals("ramfs")) {
      System.err.println(
          "warning: "
              + root
              + " is "
              + type
              + "; fsync costs nothing there. Set TANDEM_BENCH_DIR to a directory on disk.");
    }
    return new BenchmarkDirectory(Files.createTempDirectory(root, "tandem-bench-" + prefix + "-"));
  }

  public static Path root() {
    String dir = System.getProperty("tandem.bench.dir");
    if (dir == null || dir.isEmpty()) {
      dir = System.getenv("TANDEM_BENCH_DIR");
    }
    if (dir == null || dir.isEmpty()) {
      dir = System.getProperty("java.io.tmpdir");
    }
    return Path.of(dir).toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  /** Removes the directory and everything in it. */
  @Override
  public void close() throws IOException {
    deleteRecursively(path);
  }

  /**
   * Cuts every segment file ({@code *.log}) of the log in {@code logDir} to zero bytes. Deleting a
   * log closes it first, and closing fsyncs: after a page-cache benchmark ({@code NEVER}) that
   * would write gigabytes back to a shared disk for nothing. Cut files have no dirty pages left to
   * write. The log's flush thread may be renaming its checkpoint meanwhile; files that vanish are
   * skipped.
   */
  public static void discardData(Path logDir) throws IOException {
    try (Stream<Path> files = Files.list(logDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!String.valueOf(file.getFileName()).endsWith(".log")) {
          continue;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(0);
        } catch (NoSuchFileException e) {
          // already gone: nothing left to write back
        }
      }
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              file -> {
                try {
                  Files.delete(file);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
