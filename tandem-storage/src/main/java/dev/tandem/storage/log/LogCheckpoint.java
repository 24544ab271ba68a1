package dev.tandem.storage.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The small metadata file of a log, {@code log.checkpoint}: the recovery point (every segment below
 * it is flushed and sealed, so recovery after a crash starts there) and the log start offset.
 *
 * <pre>
 *   tandem-log-checkpoint 1
 *   recovery-point 4200
 *   start-offset 0
 * </pre>
 *
 * Written to a temp file, fsynced and renamed, so a reader sees the old or the new file whole.
 *
 * @param recoveryPoint base offset from which a crash recovery must rescan
 * @param startOffset the log start offset
 */
record LogCheckpoint(long recoveryPoint, long startOffset) {
  static final String FILE = "log.checkpoint";
  private static final String HEADER = "tandem-log-checkpoint 1";

  /** Reads the checkpoint, or returns null when it is missing or unreadable. */
  static LogCheckpoint read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() != 3 || !lines.get(0).equals(HEADER)) {
      return null;
    }
    try {
      return new LogCheckpoint(
          value(lines.get(1), "recovery-point"), value(lines.get(2), "start-offset"));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long value(String line, String key) {
    if (!line.startsWith(key + " ")) {
      throw new IllegalArgumentException(line);
    }
    return Long.parseLong(line.substring(key.length() + 1));
  }

  void write(Path dir) throws IOException {
    String text =
        HEADER + "\nrecovery-point " + recoveryPoint + "\nstart-offset " + startOffset + "\n";
    writeAtomically(dir, FILE, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes bytes to a temp file, fsyncs it, renames it over {@code dir/name} and fsyncs the
   * directory.
   */
  static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    // A temp name of its own per write: two writers never rename each other's half-written file.
    Path temp =
        dir.resolve(
            name
                + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(dir);
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
