package dev.tandem.core.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.Reference;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The memory alarm against this JVM's real heap. */
class MemoryAlarmTest {

  @Test
  void shouldRaiseAboveWatermarkAndClearAtOrBelowIt() {
    MemoryAlarm alarm = new MemoryAlarm();
    alarm.watermark(1.0);
    assertThat(alarm.raised()).as("the heap in use never exceeds the maximum heap").isFalse();
    assertThat(alarm.used()).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());

    alarm.watermark(0.0);
    assertThat(alarm.raised())
        .as("a watermark of 0 blocks every publisher, as in RabbitMQ")
        .isTrue();
    CompletableFuture<Void> cleared = alarm.whenCleared();
    assertThat(cleared).isNotDone();
    alarm.check();
    assertThat(alarm.whenCleared()).isSameAs(cleared);

    alarm.watermark(1.0);
    assertThat(alarm.raised()).isFalse();
    assertThat(cleared).isCompleted();
  }

  @Test
  void shouldCountWhatSurvivesCollectionNotGarbage() {
    int mib = 1_048_576;
    byte[][] held = new byte[256][];
    for (int i = 0; i < held.length; i++) {
      held[i] = new byte[mib];
    }
    MemoryAlarm holding = new MemoryAlarm();
    holding.watermark(0.0);
    long withHeld = holding.used();
    assertThat(withHeld).isGreaterThan(256L * mib);
    Reference.reachabilityFence(held);
    held = null;

    MemoryAlarm released = new MemoryAlarm();
    released.watermark(0.0);
    assertThat(released.used())
        .as("the confirming full collection frees what nothing holds")
        .isLessThan(withHeld - 200L * mib);
    assertThat(held).isNull();
  }

  @Test
  void shouldRefuseWatermarkOutsideZeroToOne() {
    MemoryAlarm alarm = new MemoryAlarm();
    assertThatThrownBy(() -> alarm.watermark(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> alarm.watermark(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> alarm.watermark(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
