package dev.tandem.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk alarm against the real free space of the test's filesystem. */
class DiskAlarmTest {
  @TempDir Path dir;

  @Test
  void shouldRaiseBelowLimitAndClearAtOrAboveIt() throws Exception {
    DiskAlarm alarm = new DiskAlarm(dir);
    alarm.check();
    assertThat(alarm.raised()).as("50 MB free at least where tests run").isFalse();
    assertThat(alarm.whenCleared()).isDone();
    long free = Files.getFileStore(dir).getUsableSpace();
    assertThat(alarm.free()).isBetween(free / 2, free * 2);

    alarm.limit(Long.MAX_VALUE);
    assertThat(alarm.raised()).isTrue();
    CompletableFuture<Void> cleared = alarm.whenCleared();
    assertThat(cleared).isNotDone();
    alarm.check();
    assertThat(alarm.whenCleared()).isSameAs(cleared);

    alarm.limit(0);
    assertThat(alarm.raised()).isFalse();
    assertThat(cleared).isCompleted();
  }

  @Test
  void shouldKeepStateWhenFreeSpaceCannotBeRead() {
    DiskAlarm alarm = new DiskAlarm(dir.resolve("missing"));
    alarm.limit(Long.MAX_VALUE);
    assertThat(alarm.raised()).isFalse();
    assertThatThrownBy(() -> alarm.limit(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
