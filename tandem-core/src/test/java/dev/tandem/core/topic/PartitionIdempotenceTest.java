package dev.tandem.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.producer.ProducerException;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.AppendResult;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent producers (KIP-98): retries are answered, not rewritten; gaps are refused. */
class PartitionIdempotenceTest {
  @TempDir Path dir;
  private LogDirectory directory;
  private Topics topics;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dir);
    topics =
        Topics.load(
            directory,
            directory.openStateStore("metadata"),
            new Topics.TopicDefaults(LogConfig.DEFAULT, 1, true));
  }

  @AfterEach
  void close() throws Exception {
    directory.close();
  }

  private static ByteBuffer batch(long producerId, short epoch, int sequence, int records) {
    RecordBatchBuilder builder = new RecordBatchBuilder(1L).producer(producerId, epoch, sequence);
    for (int i = 0; i < records; i++) {
      builder.append(1L, null, new byte[] {(byte) i});
    }
    return builder.build();
  }

  private Partition partition() {
    return topics.topicOrAutoCreate("t").partition(0);
  }

  @Test
  void shouldAnswerRetriedBatchWithFirstResultWithoutWritingAgain() throws Exception {
    AppendResult first = partition().append(batch(7, (short) 0, 0, 3)).get();
    AppendResult retry = partition().append(batch(7, (short) 0, 0, 3)).get();
    assertThat(retry.firstOffset()).isEqualTo(first.firstOffset());
    assertThat(partition().log().endOffset()).isEqualTo(3);
  }

  @Test
  void shouldRefuseSequenceGap() throws Exception {
    partition().append(batch(7, (short) 0, 0, 3)).get();
    assertThatThrownBy(() -> partition().append(batch(7, (short) 0, 5, 1)))
        .isInstanceOf(ProducerException.class)
        .extracting(e -> ((ProducerException) e).reason())
        .isEqualTo(ProducerException.Reason.OUT_OF_ORDER_SEQUENCE);
    partition().append(batch(7, (short) 0, 3, 1)).get();
    assertThat(partition().log().endOffset()).isEqualTo(4);
  }

  @Test
  void shouldFenceOlderEpoch() throws Exception {
    partition().append(batch(7, (short) 1, 0, 1)).get();
    assertThatThrownBy(() -> partition().append(batch(7, (short) 0, 1, 1)))
        .extracting(e -> ((ProducerException) e).reason())
        .isEqualTo(ProducerException.Reason.PRODUCER_FENCED);
  }

  @Test
  void shouldRecogniseRetryAcrossRestart() throws Exception {
    partition().append(batch(9, (short) 0, 0, 2)).get();
    partition().append(batch(9, (short) 0, 2, 2)).get();
    close();
    open();
    AppendResult retry = partition().append(batch(9, (short) 0, 2, 2)).get();
    assertThat(retry.firstOffset()).isEqualTo(2);
    assertThat(partition().log().endOffset()).isEqualTo(4);
    assertThat(topics.topic("t").orElseThrow().config()).isEqualTo(new TopicConfig(Map.of()));
  }
}
