package dev.tandem.core.delay;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelayHeaderTest {
  private static long delay(Object value) {
    Map<String, Object> headers = new HashMap<>();
    headers.put("x-delay", value);
    return DelayHeader.millis(headers);
  }

  @Test
  void shouldTakeIntegersOfAnyWidth() {
    assertThat(delay(5_000L)).isEqualTo(5_000);
    assertThat(delay(300)).isEqualTo(300);
    assertThat(delay((short) 7)).isEqualTo(7);
    assertThat(delay((byte) 1)).isEqualTo(1);
  }

  @Test
  void shouldParseDecimalStringsAndTruncateFractions() {
    assertThat(delay("1500")).isEqualTo(1_500);
    assertThat(delay("+20")).isEqualTo(20);
    assertThat(delay(250.9)).isEqualTo(250);
    assertThat(delay(2.5f)).isEqualTo(2);
    assertThat(delay(new BigDecimal("99.99"))).isEqualTo(99);
  }

  @Test
  void shouldMeanNoDelayWhenMissingNotPositiveTooLongOrNotANumber() {
    assertThat(DelayHeader.millis(Map.of())).isZero();
    assertThat(DelayHeader.millis(null)).isZero();
    assertThat(delay(null)).isZero();
    assertThat(delay(0L)).isZero();
    assertThat(delay(-100L)).isZero();
    assertThat(delay("-100")).isZero();
    assertThat(delay(0.5)).isZero();
    assertThat(delay(4_294_967_296L)).isZero();
    assertThat(delay(4_294_967_295L)).isEqualTo(4_294_967_295L);
    assertThat(delay("soon")).isZero();
    assertThat(delay("1.5")).isZero();
    assertThat(delay("99999999999999999999")).isZero();
    assertThat(delay(Double.NaN)).isZero();
    assertThat(delay(true)).isZero();
    assertThat(delay(new byte[] {1})).isZero();
  }

  @Test
  void shouldNegateTheDelayOfAReleasedMessageSoItIsNotHeldAgain() {
    Map<String, Object> released = DelayHeader.released(Map.of("x-delay", "300", "a", 1L));
    assertThat(released).containsEntry("x-delay", -300L).containsEntry("a", 1L);
    assertThat(DelayHeader.millis(released)).isZero();
    Map<String, Object> immediate = Map.of("x-delay", 0L);
    assertThat(DelayHeader.released(immediate)).isSameAs(immediate);
  }
}
