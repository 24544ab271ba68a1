package dev.tandem.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import org.junit.jupiter.api.Test;

/** x-stream-offset is read as RabbitMQ reads it. */
class StreamOffsetTest {
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void shouldStartAtNextWhenAbsent() {
    assertThat(StreamOffset.parse(null, NOW)).isEqualTo(StreamOffset.NEXT);
  }

  @Test
  void shouldReadNamedStarts() {
    assertThat(StreamOffset.parse("first", NOW)).isEqualTo(StreamOffset.FIRST);
    assertThat(StreamOffset.parse("last", NOW)).isEqualTo(StreamOffset.LAST);
    assertThat(StreamOffset.parse("next", NOW)).isEqualTo(StreamOffset.NEXT);
  }

  @Test
  void shouldReadIntegerAsOffset() {
    assertThat(StreamOffset.parse(42L, NOW)).isEqualTo(StreamOffset.offset(42));
  }

  @Test
  void shouldReadTimestampInMilliseconds() {
    assertThat(StreamOffset.parse(new Date(1_700_000_000_000L), NOW))
        .isEqualTo(StreamOffset.timestamp(1_700_000_000_000L));
  }

  @Test
  void shouldReadIntervalsAsNowMinusThem() {
    assertThat(StreamOffset.parse("10s", NOW)).isEqualTo(StreamOffset.timestamp(NOW - 10_000));
    assertThat(StreamOffset.parse("30m", NOW))
        .isEqualTo(StreamOffset.timestamp(NOW - 30 * 60_000L));
    assertThat(StreamOffset.parse("12h", NOW))
        .isEqualTo(StreamOffset.timestamp(NOW - 12 * 3_600_000L));
    assertThat(StreamOffset.parse("1D", NOW)).isEqualTo(StreamOffset.timestamp(NOW - 86_400_000L));
    assertThat(StreamOffset.parse("1M", NOW))
        .isEqualTo(StreamOffset.timestamp(NOW - 30 * 86_400_000L));
    assertThat(StreamOffset.parse("1Y", NOW))
        .isEqualTo(StreamOffset.timestamp(NOW - 365 * 86_400_000L));
  }

  @Test
  void shouldRefuseMalformedIntervals() {
    for (String bad : new String[] {"", "D", "0s", "1d", "1 D", "-1D", "99999999999999999999s"}) {
      assertThatThrownBy(() -> StreamOffset.parse(bad, NOW))
          .as(bad)
          .hasMessage(StreamOffset.INVALID_MAX_AGE);
    }
  }

  @Test
  void shouldRefuseNegativeOffsetsAndOtherTypes() {
    assertThatThrownBy(() -> StreamOffset.parse(-1L, NOW)).hasMessage(StreamOffset.INVALID_OFFSET);
    assertThatThrownBy(() -> StreamOffset.parse(1.5, NOW)).hasMessage(StreamOffset.INVALID_OFFSET);
    assertThatThrownBy(() -> StreamOffset.parse(true, NOW)).hasMessage(StreamOffset.INVALID_OFFSET);
  }
}
