package dev.tandem.amqp.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.amqp.codec.AmqpException;
import dev.tandem.amqp.codec.ReplyCode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which deliveries basic.ack, nack and reject name (§1.8.3.13). */
class UnackedDeliveriesTest {
  private final UnackedDeliveries unacked = new UnackedDeliveries();

  @BeforeEach
  void fill() {
    for (long tag = 1; tag <= 5; tag++) {
      unacked.add(new Unacked(tag, null, tag * 10, null, tag));
    }
  }

  private static List<Long> tags(List<Unacked> deliveries) {
    return deliveries.stream().map(Unacked::tag).toList();
  }

  @Test
  void shouldTakeOneTagWithoutMultiple() {
    assertThat(tags(unacked.take(3, false))).containsExactly(3L);
    assertThat(unacked.size()).isEqualTo(4);
  }

  @Test
  void shouldTakeEveryTagUpToTheGivenOneWithMultiple() {
    unacked.take(2, false);

    assertThat(tags(unacked.take(4, true))).containsExactly(1L, 3L, 4L);
    assertThat(tags(unacked.takeAll())).containsExactly(5L);
  }

  @Test
  void shouldTakeEverythingForTagZeroWithMultiple() {
    assertThat(tags(unacked.take(0, true))).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void shouldRefuseATagThatIsNotOutstanding() {
    unacked.take(2, false);

    assertThatThrownBy(() -> unacked.take(2, false))
        .isInstanceOfSatisfying(
            AmqpException.class,
            e -> assertThat(e.replyCode()).isEqualTo(ReplyCode.PRECONDITION_FAILED))
        .hasMessage("unknown delivery tag 2");
    assertThatThrownBy(() -> unacked.take(9, true)).isInstanceOf(AmqpException.class);
    assertThatThrownBy(() -> unacked.take(0, false)).isInstanceOf(AmqpException.class);
  }

  @Test
  void shouldRestoreTakenDeliveriesInTagOrder() {
    List<Unacked> taken = unacked.take(3, true);

    unacked.restore(taken);

    assertThat(tags(unacked.takeAll())).containsExactly(1L, 2L, 3L, 4L, 5L);
  }
}
