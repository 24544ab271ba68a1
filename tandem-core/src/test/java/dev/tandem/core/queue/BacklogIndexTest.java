package dev.tandem.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogIndexTest {
  private static final int CHUNK = BacklogIndex.CHUNK_OFFSETS;

  @Test
  void shouldFindTheNextChunkHoldingALevelAndSkipTheOthers() {
    BacklogIndex index = new BacklogIndex(200);
    index.mark(10, 0);
    index.mark(CHUNK + 5, 0);
    index.mark(3 * CHUNK + 7, 130);

    assertThat(index.next(130, 0)).isEqualTo(3 * CHUNK);
    assertThat(index.next(130, 3 * CHUNK + 2)).isEqualTo(3 * CHUNK + 2);
    assertThat(index.next(0, 11)).isEqualTo(11);
    assertThat(index.next(0, CHUNK)).isEqualTo(CHUNK);
    assertThat(index.next(0, 2 * CHUNK)).isEqualTo(-1);
    assertThat(index.has(130, 3)).isTrue();
    assertThat(index.has(130, 1)).isFalse();
  }

  @Test
  void shouldForgetChunksEveryLevelHasPassed() {
    BacklogIndex index = new BacklogIndex(3);
    index.mark(1, 0);
    index.mark(2, 2);
    index.mark(CHUNK + 1, 0);

    index.passed(0, CHUNK + 2);
    assertThat(index.chunkCount()).isEqualTo(2);
    assertThat(index.next(0, 0)).isEqualTo(CHUNK);
    index.passed(2, CHUNK);
    assertThat(index.chunkCount()).isEqualTo(1);

    index.mark(3, 2);
    assertThat(index.next(2, 0)).as("marked again below what was passed").isEqualTo(0);
    index.clear();
    assertThat(index.chunkCount()).isZero();
    assertThat(index.next(0, 0)).isEqualTo(-1);
  }

  @Test
  void shouldMarkAChunkAgainAfterForgettingItWhereverItSatInTheTree() {
    BacklogIndex index = new BacklogIndex(2);
    index.mark(0, 0);
    index.mark(2 * CHUNK, 0);
    index.mark(CHUNK, 1);

    index.passed(1, 2 * CHUNK);
    assertThat(index.has(1, 1)).isFalse();
    index.mark(CHUNK + 3, 1);

    assertThat(index.has(1, 1)).isTrue();
    assertThat(index.next(1, 0)).isEqualTo(CHUNK);
  }
}
