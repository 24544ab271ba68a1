package dev.tandem.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Unsettled delivery numbers behave as a sorted set of them. */
class UnsettledDeliveriesTest {
  @Property
  void shouldMatchSortedSetModel(
      @ForAll @Size(max = 300) List<@IntRange(min = -1, max = 40) Integer> operations) {
    UnsettledDeliveries unsettled = new UnsettledDeliveries();
    TreeSet<Long> model = new TreeSet<>();
    long next = 0;
    for (int operation : operations) {
      if (operation < 0) {
        unsettled.add(next);
        model.add(next);
        next++;
      } else {
        List<Long> live = new ArrayList<>(model);
        long number = live.isEmpty() ? next : live.get(operation % live.size());
        boolean outstanding = model.remove(number);
        assertThat(unsettled.remove(number)).isEqualTo(outstanding);
        assertThat(unsettled.remove(number)).isFalse();
      }
      assertThat(unsettled.size()).isEqualTo(model.size());
    }
  }
}
