package dev.tandem.server.lifecycle;

import dev.tandem.server.config.Setting;
import dev.tandem.storage.DataDirectoryLockedException;
import dev.tandem.storage.LogDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Opens the broker's data directory through storage, turning each way it can fail into one line
 * naming {@code data.dir}. Also tells a directory the broker has never used, which storage reports
 * as an unclean shutdown.
 *
 * <p>Stateless and thread-safe.
 */
final class DataDirectory {
  private static final String KEY = Setting.DATA_DIR.key();

  private DataDirectory() {}

  /** True if {@code dir} does not exist or is an empty directory. */
  static boolean isNew(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Who holds the lock, as far as its file tells: storage writes the holder's pid in it. */
  private static String holder(Path dir) {
    Path lock = dir.resolve(LogDirectory.LOCK_FILE);
    try {
      String pid = Files.readString(lock, StandardCharsets.UTF_8).strip();
      if (pid.matches("\\d{1,10}")) {
        return "another broker, pid " + pid + " (" + lock + ")";
      }
    } catch (IOException e) {
      // Fall through: the lock file tells nothing more.
    }
    return "another broker (" + lock + ")";
  }

  /** Creates {@code dir} if needed, checks it is writable, and opens and locks it. */
  static LogDirectory open(Path dir) throws StartupException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException(
          KEY + ": cannot create directory " + dir + ": " + StartupException.reason(e), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException(KEY + ": directory " + dir + " is not writable", null);
    }
    try {
      return LogDirectory.open(dir);
    } catch (DataDirectoryLockedException e) {
      throw new StartupException(KEY + ": " + dir + " is locked by " + holder(dir), e);
    } catch (IOException e) {
      throw new StartupException(
          KEY + ": cannot open " + dir + ": " + StartupException.reason(e), e);
    }
  }
}
