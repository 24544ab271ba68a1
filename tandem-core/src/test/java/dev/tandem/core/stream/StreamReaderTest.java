package dev.tandem.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.queue.Delivery;
import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.LogConfig;
import dev.tandem.storage.record.RecordBatch;
import dev.tandem.storage.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream consumer reads a topic from where it asked, as fast as its prefetch allows. */
class StreamReaderTest {
  @TempDir Path dir;
  private LogDirectory directory;
  private Topics topics;
  private StreamReaders readers;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dir);
    topics =
        Topics.load(
            directory,
            directory.openStateStore("metadata"),
            new Topics.TopicDefaults(LogConfig.DEFAULT.withDurability(Durability.NEVER), 1, true));
    readers = new StreamReaders(topics, directory.scheduler());
  }

  @AfterEach
  void close() throws Exception {
    readers.close();
    directory.close();
  }

  private Topic topic(int partitions) {
    return topics.create("t", partitions, Map.of());
  }

  /** Appends one batch of records with the given timestamps; values are "v" + offset-to-be. */
  private static void append(Partition partition, long... timestamps) throws Exception {
    long first = partition.log().endOffset();
    RecordBatchBuilder batch = new RecordBatchBuilder(timestamps[0]);
    for (int i = 0; i < timestamps.length; i++) {
      batch.append(timestamps[i], null, ("v" + (first + i)).getBytes(StandardCharsets.UTF_8));
    }
    partition.append(batch.build()).get();
  }

  private static void appendRecords(Partition partition, int count) throws Exception {
    long[] timestamps = new long[count];
    Arrays.fill(timestamps, 1_000L);
    append(partition, timestamps);
  }

  private RecordingConsumer consume(Topic topic, StreamOffset start, int prefetch) {
    RecordingConsumer consumer = new RecordingConsumer(prefetch);
    StreamReader reader = readers.open(topic, RecordMapping.BARE, start);
    assertThat(reader.tryAddConsumer(consumer, false)).isTrue();
    return consumer;
  }

  @Test
  void shouldReplayTopicFromLogStartWhenFirst() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 3);
    appendRecords(topic.partition(0), 2);
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 10);
    List<Delivery> received = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      received.add(consumer.next());
    }
    assertThat(received)
        .extracting(RecordingConsumer::streamOffset)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(received)
        .extracting(d -> new String(d.message().body(), StandardCharsets.UTF_8))
        .containsExactly("v0", "v1", "v2", "v3", "v4");
    assertThat(received).extracting(Delivery::redelivered).containsOnly(false);
    assertThat(consumer.quietFor(100)).isTrue();
  }

  @Test
  void shouldStartAtLastRecordWhenLast() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 3);
    appendRecords(topic.partition(0), 2);
    RecordingConsumer consumer = consume(topic, StreamOffset.LAST, 10);
    assertThat(consumer.ackNext(1)).containsExactly(4L);
    assertThat(consumer.quietFor(100)).isTrue();
  }

  @Test
  void shouldDeliverOnlyRecordsAppendedAfterSubscribingWhenNext() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 3);
    RecordingConsumer consumer = consume(topic, StreamOffset.NEXT, 10);
    assertThat(consumer.quietFor(100)).isTrue();
    appendRecords(topic.partition(0), 2);
    assertThat(consumer.ackNext(2)).containsExactly(3L, 4L);
  }

  @Test
  void shouldStartAtNumericOffsetAndClampItToTheLog() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 5);
    assertThat(consume(topic, StreamOffset.offset(2), 10).ackNext(3)).containsExactly(2L, 3L, 4L);
    RecordingConsumer beyond = consume(topic, StreamOffset.offset(50), 10);
    assertThat(beyond.quietFor(100)).isTrue();
    appendRecords(topic.partition(0), 1);
    assertThat(beyond.ackNext(1)).containsExactly(5L);
  }

  @Test
  void shouldStartAtFirstRecordAtOrAfterTimestampEvenInsideABatch() throws Exception {
    Topic topic = topic(1);
    append(topic.partition(0), 1_000, 2_000, 3_000);
    append(topic.partition(0), 4_000);
    assertThat(consume(topic, StreamOffset.timestamp(2_000), 10).ackNext(3))
        .containsExactly(1L, 2L, 3L);
    RecordingConsumer later = consume(topic, StreamOffset.timestamp(9_000), 10);
    assertThat(later.quietFor(100)).isTrue();
  }

  @Test
  void shouldStopAtPrefetchAndGoOnWhenADeliveryIsAcked() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 10);
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 2);
    Delivery first = consumer.next();
    consumer.next();
    assertThat(consumer.quietFor(200)).isTrue();
    consumer.settle(first);
    assertThat(RecordingConsumer.streamOffset(consumer.next())).isEqualTo(2L);
    assertThat(consumer.quietFor(100)).isTrue();
  }

  @Test
  void shouldRedeliverNothingWhenADeliveryIsRequeued() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 3);
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 1);
    Delivery first = consumer.next();
    consumer.requeue(first);
    assertThat(first.source().ack(first.offset())).as("settled once only").isFalse();
    assertThat(consumer.ackNext(2)).containsExactly(1L, 2L);
  }

  @Test
  void shouldResumeWhenRecordsAreAppendedAfterCatchingUp() throws Exception {
    Topic topic = topic(1);
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 10);
    assertThat(consumer.quietFor(100)).isTrue();
    for (int round = 0; round < 3; round++) {
      appendRecords(topic.partition(0), 1);
      assertThat(consumer.ackNext(1)).containsExactly((long) round);
    }
  }

  @Test
  void shouldReadEveryPartitionInTurnAChunkAtATime() throws Exception {
    Topic topic = topic(3);
    for (int p = 0; p < 3; p++) {
      appendRecords(topic.partition(p), 4);
    }
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 100);
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      offsets.add(RecordingConsumer.streamOffset(consumer.next()));
    }
    assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 0L, 1L, 2L, 3L, 0L, 1L, 2L, 3L);
    assertThat(consumer.quietFor(100)).isTrue();
  }

  @Test
  void shouldReadPartitionsAddedAfterSubscribing() throws Exception {
    Topic topic = topic(1);
    RecordingConsumer consumer = consume(topic, StreamOffset.NEXT, 10);
    Topic grown = topics.addPartitions("t", 2);
    appendRecords(grown.partition(1), 1);
    assertThat(consumer.ackNext(1)).containsExactly(0L);
  }

  @Test
  void shouldContinueFromNewLogStartWhenRetentionPassesItsPosition() throws Exception {
    Topic topic = topic(1);
    Partition partition = topic.partition(0);
    byte[] large = new byte[100 * 1024];
    for (int i = 0; i < 10; i++) {
      partition.append(new RecordBatchBuilder(1_000).append(1_000, null, large).build()).get();
    }
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 1);
    Delivery first = consumer.next();
    partition.log().deleteRecordsBefore(6);
    consumer.settle(first);
    List<Long> offsets = consumer.ackNext(5);
    assertThat(offsets.get(0)).isEqualTo(1L);
    assertThat(offsets).endsWith(6L, 7L, 8L, 9L);
    assertThat(consumer.quietFor(100)).isTrue();
  }

  @Test
  void shouldSkipABatchItCannotDecodeAndCountIt() throws Exception {
    Topic topic = topic(1);
    appendRecords(topic.partition(0), 2);
    ByteBuffer flagged = new RecordBatchBuilder(1_000).append(1_000, null, new byte[8]).build();
    RecordBatch batch = new RecordBatch().wrap(flagged, 0);
    batch.attributes((short) 1);
    batch.updateCrc();
    topic.partition(0).append(flagged).get();
    appendRecords(topic.partition(0), 2);
    RecordingConsumer consumer = consume(topic, StreamOffset.FIRST, 10);
    assertThat(consumer.ackNext(4)).containsExactly(0L, 1L, 3L, 4L);
    assertThat(readers.skippedBatches()).isEqualTo(1);
  }

  @Test
  void shouldCancelConsumerWhenTopicIsDeleted() throws Exception {
    Topic topic = topic(1);
    RecordingConsumer consumer = consume(topic, StreamOffset.NEXT, 10);
    assertThat(readers.consumerCount("t")).isEqualTo(1);
    topics.delete("t");
    assertThat(consumer.awaitDeleted()).isTrue();
    assertThat(readers.consumerCount("t")).isZero();
  }

  @Test
  void shouldKeepExclusiveConsumerAlone() {
    Topic topic = topic(1);
    StreamReader exclusive = readers.open(topic, RecordMapping.BARE, StreamOffset.NEXT);
    RecordingConsumer holder = new RecordingConsumer(1);
    assertThat(exclusive.tryAddConsumer(holder, true)).isTrue();
    assertThat(
            readers
                .open(topic, RecordMapping.BARE, StreamOffset.NEXT)
                .tryAddConsumer(new RecordingConsumer(1), false))
        .isFalse();
    exclusive.removeConsumer(holder);
    StreamReader shared = readers.open(topic, RecordMapping.BARE, StreamOffset.NEXT);
    assertThat(shared.tryAddConsumer(new RecordingConsumer(1), false)).isTrue();
    assertThat(
            readers
                .open(topic, RecordMapping.BARE, StreamOffset.NEXT)
                .tryAddConsumer(new RecordingConsumer(1), true))
        .isFalse();
  }

  @Test
  void shouldDeliverNothingAfterConsumerIsRemoved() throws Exception {
    Topic topic = topic(1);
    RecordingConsumer consumer = new RecordingConsumer(10);
    StreamReader reader = readers.open(topic, RecordMapping.BARE, StreamOffset.NEXT);
    reader.tryAddConsumer(consumer, false);
    reader.removeConsumer(consumer);
    appendRecords(topic.partition(0), 2);
    assertThat(consumer.quietFor(200)).isTrue();
    assertThat(readers.consumerCount("t")).isZero();
  }
}
