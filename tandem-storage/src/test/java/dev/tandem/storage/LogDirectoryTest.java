package dev.tandem.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.log.LogContents;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirectoryTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseSecondOpenInTheSameJvm() throws Exception {
    try (LogDirectory first = LogDirectory.open(dir)) {
      assertThatThrownBy(() -> LogDirectory.open(dir))
          .isInstanceOf(DataDirectoryLockedException.class);
      assertThatThrownBy(() -> LogDirectory.open(dir.resolve("logs").resolve("..")))
          .as("the same directory by another path")
          .isInstanceOf(DataDirectoryLockedException.class);
      first.openLog("still-usable", LogConfig.DEFAULT);
    }
    LogDirectory.open(dir).close();
  }

  @Test
  void shouldRefuseOpenFromAnotherProcess() throws Exception {
    try (LogDirectory first = LogDirectory.open(dir)) {
      assertThat(probe()).as("child exit status").isEqualTo(LockProbe.LOCKED);
    }
    assertThat(probe()).as("child exit status once released").isZero();
  }

  @Test
  void shouldStillRefuseOtherProcessesAfterAFailedSecondOpenInTheSameJvm() throws Exception {
    try (LogDirectory first = LogDirectory.open(dir)) {
      assertThatThrownBy(() -> LogDirectory.open(dir))
          .isInstanceOf(DataDirectoryLockedException.class);
      assertThat(probe()).as("child exit status").isEqualTo(LockProbe.LOCKED);
    }
  }

  @Test
  void shouldWriteCleanShutdownMarkerOnCloseAndRemoveItOnOpen() throws Exception {
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown()).as("a new directory").isFalse();
      directory.openLog("a", LogConfig.DEFAULT).append(LogContents.batch(0, "x")).get();
      directory.openStateStore("definitions").put("k", new byte[] {1}).get();
      assertThat(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)).doesNotExist();
    }
    assertThat(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)).exists();
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown()).isTrue();
      assertThat(dir.resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)).doesNotExist();
      assertThat(LogContents.readAll(directory.openLog("a", LogConfig.DEFAULT))).hasSize(1);
      assertThat(directory.openStateStore("definitions").get("k")).containsExactly(1);
    }
  }

  @Test
  void shouldReportUncleanShutdownWhenTheOwnerDiedWithoutClosing() throws Exception {
    assertThat(ChildJvm.start(LockProbe.class, "open-and-die", dir.toString()).waitFor()).isZero();
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown()).isFalse();
      Log log = directory.openLog("a", LogConfig.DEFAULT);
      assertThat(LogContents.readAll(log)).hasSize(1);
    }
  }

  @Test
  void shouldNotPromiseCleanShutdownWhileALogAwaitsRecovery() throws Exception {
    assertThat(ChildJvm.start(LockProbe.class, "open-and-die", dir.toString()).waitFor()).isZero();
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown()).isFalse();
      directory.openLog("b", LogConfig.DEFAULT);
    }
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown())
          .as("log a was never opened, so never recovered, since the crash")
          .isFalse();
      directory.openLog("a", LogConfig.DEFAULT);
      directory.openLog("b", LogConfig.DEFAULT);
    }
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown()).isTrue();
    }
  }

  @Test
  void shouldRefuseInvalidLogNames() throws Exception {
    try (LogDirectory directory = LogDirectory.open(dir)) {
      for (String name : new String[] {"", ".", "..", "a/b", "nul\0"}) {
        assertThatThrownBy(() -> directory.openLog(name, LogConfig.DEFAULT))
            .as("name '%s'", name)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void shouldListAndDeleteLogs() throws Exception {
    try (LogDirectory directory = LogDirectory.open(dir)) {
      directory.openLog("b", LogConfig.DEFAULT).append(LogContents.batch(0, "x")).get();
      directory.openLog("a", LogConfig.DEFAULT);
      assertThat(directory.logNames()).containsExactly("a", "b");
      directory.deleteLog("b");
      assertThat(directory.logNames()).containsExactly("a");
      assertThat(directory.log("b")).isEmpty();
    }
  }

  private int probe() throws Exception {
    Process child = ChildJvm.start(LockProbe.class, "try-open", dir.toString());
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return child.exitValue();
  }
}
