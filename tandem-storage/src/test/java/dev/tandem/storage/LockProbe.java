package dev.tandem.storage;

import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for {@link LogDirectoryTest}. {@code try-open DIR} opens and closes the data
 * directory, exiting 0, or exits 3 when it is locked. {@code open-and-die DIR} opens it, appends to
 * log "a" and halts without closing anything, as a killed broker would.
 */
public final class LockProbe {
  static final int LOCKED = 3;

  private LockProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("try-open")) {
      try {
        LogDirectory.open(dir).close();
      } catch (DataDirectoryLockedException e) {
        Runtime.getRuntime().halt(LOCKED);
      }
      Runtime.getRuntime().halt(0);
    }
    LogDirectory directory = LogDirectory.open(dir);
    directory
        .openLog("a", LogConfig.DEFAULT)
        .append(
            new RecordBatchBuilder(0)
                .append(0, null, "written before dying".getBytes(StandardCharsets.UTF_8))
                .build())
        .get();
    Runtime.getRuntime().halt(0);
  }
}
