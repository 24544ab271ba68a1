package dev.tandem.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReadyMessagesTest {
  /** A queue's log in memory: offsets are list indexes; reads stop at the high watermark. */
  private static final class MemoryLog implements ReadyMessages.Backing {
    final List<QueuedMessage> records = new ArrayList<>();
    final Set<Long> gone = new HashSet<>();
    long highWatermark = Long.MAX_VALUE;
    int readSize = 16;
    int reads;

    QueuedMessage append(int priority) {
      long offset = records.size();
      Message message =
          new Message("", "", new byte[0], Map.of(), new byte[] {1}, false, 0, priority);
      QueuedMessage queued = new QueuedMessage(offset, message, false);
      records.add(queued);
      return queued;
    }

    @Override
    public List<QueuedMessage> read(long offset) {
      reads++;
      long to = Math.min(Math.min(records.size(), highWatermark), offset + readSize);
      return offset >= to ? List.of() : records.subList((int) offset, (int) to);
    }

    @Override
    public boolean isGone(long offset) {
      return gone.contains(offset);
    }

    @Override
    public boolean dropIfStale(QueuedMessage message) {
      return false;
    }
  }

  private final MemoryLog log = new MemoryLog();

  private ReadyMessages ready(int levels, int window) {
    return ready(levels, window, BacklogIndex.CHUNK_SHIFT);
  }

  private ReadyMessages ready(int levels, int window, int chunkShift) {
    ReadyMessages ready = new ReadyMessages(levels, log, window, Long.MAX_VALUE, chunkShift);
    ready.recover(0);
    return ready;
  }

  private static List<Long> drain(ReadyMessages ready) {
    List<Long> offsets = new ArrayList<>();
    for (QueuedMessage next = ready.poll(); next != null; next = ready.poll()) {
      offsets.add(next.offset());
    }
    return offsets;
  }

  @Test
  void shouldSendMessagesToDiskOnceTheSharedBudgetIsSpentAndStillDeliverEveryQueueInOrder() {
    long perMessage = log.append(0).size() + WindowBudget.OVERHEAD;
    log.records.clear();
    WindowBudget budget = new WindowBudget(10 * perMessage);
    ReadyMessages first = new ReadyMessages(1, log, 1000, Long.MAX_VALUE, 10, budget);
    MemoryLog otherLog = new MemoryLog();
    ReadyMessages second = new ReadyMessages(1, otherLog, 1000, Long.MAX_VALUE, 10, budget);
    first.recover(0);
    second.recover(0);

    int inMemory = 0;
    for (int i = 0; i < 30; i++) {
      inMemory += first.offer(log.append(0)) ? 1 : 0;
    }
    assertThat(inMemory).isEqualTo(10);
    assertThat(second.offer(otherLog.append(0))).as("an empty window takes one").isTrue();
    assertThat(second.offer(otherLog.append(0))).isFalse();
    assertThat(budget.used()).isEqualTo(11 * perMessage);

    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      offsets.add(first.poll().offset());
      assertThat(first.inWindow()).as("one read back at most past the budget").isLessThan(18);
    }
    assertThat(offsets).isSorted().hasSize(30).doesNotHaveDuplicates();
    assertThat(first.poll()).isNull();
    assertThat(drain(second)).containsExactly(0L, 1L);
    assertThat(budget.used()).isZero();
  }

  @Test
  void shouldDeliverAMessagePublishedPastAFullWindowOfLowerPrioritiesFirst() {
    ReadyMessages ready = ready(10, 4);
    for (int i = 0; i < 6; i++) {
      ready.offer(log.append(0));
    }
    assertThat(ready.offer(log.append(7))).as("evicts a priority 0 message").isTrue();

    assertThat(ready.evictions()).isEqualTo(1);
    assertThat(drain(ready)).containsExactly(6L, 0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void shouldReadAHigherLevelBackBeforeTheLowerLevelsInMemory() {
    ReadyMessages ready = ready(3, 2);
    ready.offer(log.append(2));
    ready.offer(log.append(2));
    ready.offer(log.append(2)); // the window is full of its level: on disk
    ready.offer(log.append(1)); // on disk
    assertThat(ready.poll().offset()).isEqualTo(0);
    ready.offer(log.append(0)); // fits

    assertThat(drain(ready)).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void shouldWaitForTheLogWhenTheNextMessageCannotBeReadYet() {
    ReadyMessages ready = ready(3, 1);
    ready.offer(log.append(0));
    ready.offer(log.append(2)); // evicts offset 0
    ready.offer(log.append(2)); // on disk
    log.highWatermark = 2;

    assertThat(ready.poll().offset()).isEqualTo(1);
    assertThat(ready.poll()).as("offset 2 is on disk, not readable").isNull();
    assertThat(ready.peek()).isNull();
    log.highWatermark = Long.MAX_VALUE;
    assertThat(drain(ready)).containsExactly(2L, 0L);
  }

  @Test
  void shouldSkipStretchesOfTheLogWithoutTheLevelItReadsBack() {
    ReadyMessages ready = ready(2, 1);
    ready.offer(log.append(1));
    ready.offer(log.append(1)); // on disk: the window holds a message of its level
    for (int i = 0; i < 10 * BacklogIndex.CHUNK_OFFSETS; i++) {
      ready.offer(log.append(0));
    }
    ready.offer(log.append(1));
    log.reads = 0;

    assertThat(ready.poll().offset()).isEqualTo(0);
    assertThat(ready.poll().offset()).isEqualTo(1);
    long last = log.records.size() - 1;
    assertThat(ready.poll().offset()).isEqualTo(last);
    assertThat(log.reads).as("reads to find the last message").isLessThan(200);
    assertThat(ready.poll().offset()).isEqualTo(2);
  }

  @Test
  void shouldKeepOneLevelInOffsetOrderWithRequeuedMessagesFirst() {
    ReadyMessages ready = ready(1, 2);
    for (int priority : new int[] {0, 9, 3, 0, 5}) {
      ready.offer(log.append(priority));
    }
    QueuedMessage first = ready.poll();
    QueuedMessage second = ready.poll();
    ready.requeue(second.requeued());
    ready.requeue(first.requeued());

    assertThat(drain(ready)).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  /**
   * A model test: under random publishes, takes, requeues, acks, purges and flush delays, with a
   * window of a few messages and chunks of a few offsets, what is taken is what a model of the
   * queue says comes next: the highest level, the lowest offset within it (requeued messages are
   * back at their offset).
   */
  @Property(tries = 300)
  void shouldTakeWhatAModelOfThePriorityQueueSaysComesNext(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int levels,
      @ForAll @IntRange(min = 1, max = 6) int window,
      @ForAll @IntRange(min = 1, max = 20) int readSize,
      @ForAll @IntRange(min = 0, max = 5) int chunkShift) {
    Random random = new Random(seed);
    log.records.clear();
    log.gone.clear();
    log.highWatermark = Long.MAX_VALUE;
    log.readSize = readSize;
    ReadyMessages ready = ready(levels, window, chunkShift);
    Comparator<QueuedMessage> order =
        Comparator.comparingInt((QueuedMessage m) -> -ready.levelOf(m.message()))
            .thenComparingLong(QueuedMessage::offset);
    TreeSet<QueuedMessage> model = new TreeSet<>(order);
    List<QueuedMessage> unacked = new ArrayList<>();
    Set<Long> delivered = new HashSet<>();
    for (int step = 0; step < 400; step++) {
      int op = random.nextInt(20);
      if (op < 8) {
        QueuedMessage published = log.append(random.nextInt(levels + 2));
        ready.offer(published);
        model.add(published);
      } else if (op < 15) {
        QueuedMessage taken = ready.poll();
        if (taken == null) {
          assertThat(model.isEmpty() || model.first().offset() >= log.highWatermark).isTrue();
          log.highWatermark = Long.MAX_VALUE;
          taken = ready.poll();
        }
        assertThat(taken).isEqualTo(model.pollFirst());
        if (taken != null) {
          unacked.add(taken);
          delivered.add(taken.offset());
        }
      } else if (op < 17 && !unacked.isEmpty()) {
        QueuedMessage back = unacked.remove(random.nextInt(unacked.size())).requeued();
        ready.requeue(back);
        model.add(back);
      } else if (op < 18 && !unacked.isEmpty()) {
        log.gone.add(unacked.remove(random.nextInt(unacked.size())).offset());
      } else if (op < 19) {
        log.highWatermark = log.records.size();
      } else if (random.nextInt(10) == 0) {
        long onDiskFrom = ready.lowestOnDisk();
        List<QueuedMessage> inMemory = ready.clear();
        for (QueuedMessage purged : model) {
          assertThat(inMemory.contains(purged) || purged.offset() >= onDiskFrom).isTrue();
          log.gone.add(purged.offset());
        }
        assertThat(inMemory).allMatch(model::contains);
        model.clear();
      }
      assertThat(ready.inWindow()).isLessThanOrEqualTo(window + readSize);
      long neverDelivered =
          model.stream()
              .mapToLong(QueuedMessage::offset)
              .filter(offset -> !delivered.contains(offset))
              .min()
              .orElse(Long.MAX_VALUE);
      assertThat(ready.undeliveredFrom()).isLessThanOrEqualTo(neverDelivered);
    }
    log.highWatermark = Long.MAX_VALUE;
    assertThat(drain(ready))
        .containsExactlyElementsOf(model.stream().map(QueuedMessage::offset).toList());
  }
}
