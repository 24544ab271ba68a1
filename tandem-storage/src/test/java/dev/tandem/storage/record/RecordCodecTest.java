package dev.tandem.storage.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * The batch format against itself and against Kafka's client library, and the decoders against
 * garbage: {@link RecordBatch#validate} answers and {@link RecordReader#forEach} throws nothing but
 * {@link IllegalArgumentException}, however the bytes look.
 */
class RecordCodecTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

  /** A record to write: the input of both encoders. */
  record Input(byte[] key, byte[] value, List<RecordBatchBuilder.Header> headers, long timestamp) {
    @Override
    public String toString() {
      return view(-1).toString();
    }

    View view(long offset) {
      return new View(
          offset,
          timestamp,
          hex(key),
          hex(value),
          headers.stream().map(h -> h.key() + "=" + hex(h.value())).toList());
    }
  }

  /** What a reader saw, comparable with equals. */
  record View(long offset, long timestamp, String key, String value, List<String> headers) {}

  @Provide
  Arbitrary<List<Input>> records() {
    return inputs();
  }

  /** Up to 20 records with random (possibly null) keys, values and headers. */
  static Arbitrary<List<Input>> inputs() {
    Arbitrary<byte[]> nullableBytes =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200).injectNull(0.2);
    Arbitrary<String> headerKeys =
        Arbitraries.strings().alpha().numeric().withChars("-_.äö€").ofMaxLength(12);
    Arbitrary<RecordBatchBuilder.Header> headers =
        Combinators.combine(headerKeys, nullableBytes).as(RecordBatchBuilder.Header::new);
    Arbitrary<Long> timestamps =
        Arbitraries.longs().between(BASE_TIMESTAMP - 1_000_000, BASE_TIMESTAMP + 1_000_000);
    return Combinators.combine(
            nullableBytes, nullableBytes, headers.list().ofMaxSize(3), timestamps)
        .as(Input::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(20);
  }

  @Property(tries = 200)
  void shouldReadBackEveryFieldTheBuilderWrote(
      @ForAll("records") List<Input> inputs, @ForAll @LongRange(max = 1L << 40) long baseOffset) {
    ByteBuffer batch = build(inputs);
    RecordBatch flyweight = new RecordBatch().wrap(batch, 0);
    flyweight.baseOffset(baseOffset);

    assertThat(flyweight.validate(batch.limit())).isNull();
    assertThat(flyweight.sizeInBytes()).isEqualTo(batch.limit());
    assertThat(flyweight.recordCount()).isEqualTo(inputs.size());
    assertThat(flyweight.lastOffset()).isEqualTo(baseOffset + inputs.size() - 1);
    assertThat(flyweight.maxTimestamp())
        .isEqualTo(inputs.stream().mapToLong(Input::timestamp).max().orElseThrow());
    assertThat(readWithRecordReader(batch)).isEqualTo(expected(inputs, baseOffset));
  }

  @Property(tries = 200)
  void shouldWriteBatchesThatKafkaClientsReadAndValidate(
      @ForAll("records") List<Input> inputs, @ForAll @LongRange(max = 1L << 40) long baseOffset) {
    ByteBuffer batch = build(inputs);
    new RecordBatch().wrap(batch, 0).baseOffset(baseOffset);

    List<MutableRecordBatch> batches = new ArrayList<>();
    MemoryRecords.readableRecords(batch.duplicate()).batches().forEach(batches::add);
    assertThat(batches).hasSize(1);
    MutableRecordBatch kafkaBatch = batches.get(0);
    kafkaBatch.ensureValid();
    assertThat(kafkaBatch.magic()).isEqualTo((byte) 2);
    assertThat(kafkaBatch.baseOffset()).isEqualTo(baseOffset);
    assertThat(kafkaBatch.lastOffset()).isEqualTo(baseOffset + inputs.size() - 1);
    assertThat(kafkaBatch.countOrNull()).isEqualTo(inputs.size());
    assertThat(kafkaBatch.compressionType()).isEqualTo(CompressionType.NONE);
    assertThat(kafkaBatch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
    assertThat(kafkaBatch.maxTimestamp())
        .isEqualTo(inputs.stream().mapToLong(Input::timestamp).max().orElseThrow());
    List<View> read = new ArrayList<>();
    kafkaBatch.forEach(
        record -> {
          record.ensureValid();
          List<String> headers = new ArrayList<>();
          for (Header header : record.headers()) {
            headers.add(header.key() + "=" + hex(header.value()));
          }
          read.add(
              new View(
                  record.offset(),
                  record.timestamp(),
                  hex(record.key()),
                  hex(record.value()),
                  headers));
        });
    assertThat(read).isEqualTo(expected(inputs, baseOffset));
  }

  @Property(tries = 200)
  void shouldReadBatchesWrittenByKafkaClients(
      @ForAll("records") List<Input> inputs, @ForAll @LongRange(max = 1L << 40) long baseOffset) {
    SimpleRecord[] records =
        inputs.stream()
            .map(
                input ->
                    new SimpleRecord(
                        input.timestamp(),
                        input.key(),
                        input.value(),
                        input.headers().stream()
                            .map(h -> (Header) new RecordHeader(h.key(), h.value()))
                            .toArray(Header[]::new)))
            .toArray(SimpleRecord[]::new);
    ByteBuffer batch =
        MemoryRecords.withRecords(
                org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2,
                baseOffset,
                Compression.NONE,
                TimestampType.CREATE_TIME,
                records)
            .buffer();

    RecordBatch flyweight = new RecordBatch().wrap(batch, batch.position());
    assertThat(flyweight.validate(batch.limit())).isNull();
    assertThat(flyweight.baseOffset()).isEqualTo(baseOffset);
    assertThat(flyweight.recordCount()).isEqualTo(inputs.size());
    assertThat(flyweight.lastOffset()).isEqualTo(baseOffset + inputs.size() - 1);
    assertThat(readWithRecordReader(batch)).isEqualTo(expected(inputs, baseOffset));
  }

  @Property(tries = 500)
  void shouldAnswerWithoutThrowingOnRandomBytes(
      @ForAll @Size(max = 400) byte[] bytes, @ForAll boolean lookLikeABatch) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (lookLikeABatch && bytes.length >= RecordBatch.HEADER_SIZE) {
      // Pass the length, magic and compression checks so that the record decoder runs.
      buffer.putInt(RecordBatch.LENGTH_OFFSET, bytes.length - RecordBatch.LOG_OVERHEAD);
      buffer.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
      buffer.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 0);
    }
    assertDecodersSurvive(buffer);
  }

  @Property(tries = 500)
  void shouldAnswerWithoutThrowingOnCorruptedBatches(
      @ForAll("records") List<Input> inputs,
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
      @ForAll @Size(min = 5, max = 5) List<Byte> values) {
    ByteBuffer batch = build(inputs);
    for (int i = 0; i < positions.size(); i++) {
      int at = positions.get(i) % batch.limit();
      batch.put(at, (byte) (batch.get(at) ^ (values.get(i) == 0 ? 1 : values.get(i))));
    }
    assertDecodersSurvive(batch);
  }

  @Property(tries = 300)
  void shouldDetectEveryByteFlipOutsideBaseOffsetAndLeaderEpoch(
      @ForAll("records") List<Input> inputs,
      @ForAll @IntRange(min = 0, max = 1 << 20) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    ByteBuffer batch = build(inputs);
    int at = position % batch.limit();
    batch.put(at, (byte) (batch.get(at) ^ mask));
    String problem = new RecordBatch().wrap(batch, 0).validate(batch.limit());
    boolean uncovered =
        at < RecordBatch.LENGTH_OFFSET
            || (at >= RecordBatch.PARTITION_LEADER_EPOCH_OFFSET && at < RecordBatch.MAGIC_OFFSET);
    if (uncovered) {
      assertThat(problem).as("base offset and leader epoch are outside the CRC").isNull();
    } else {
      assertThat(problem).as("flip at byte %d", at).isNotNull();
    }
  }

  @Example
  void shouldRejectRecordCountFarBeyondTheBatchWithoutAllocating() {
    ByteBuffer batch = build(List.of(new Input(null, new byte[10], List.of(), BASE_TIMESTAMP)));
    batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, Integer.MAX_VALUE);
    assertThatThrownBy(() -> RecordReader.forEach(batch, record -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void shouldRejectFieldLengthsFarBeyondTheBatchWithoutAllocating() {
    for (int field = 0; field < 3; field++) {
      ByteBuffer records = ByteBuffer.allocate(64);
      records.put((byte) 0); // attributes
      Varint.writeLong(records, 0); // timestamp delta
      Varint.writeInt(records, 0); // offset delta
      Varint.writeInt(records, field == 0 ? Integer.MAX_VALUE : -1); // key
      Varint.writeInt(records, field == 1 ? Integer.MAX_VALUE : -1); // value
      Varint.writeInt(records, field == 2 ? Integer.MAX_VALUE : 0); // header count
      ByteBuffer batch = batchAround(records.flip());
      assertThatThrownBy(() -> RecordReader.forEach(batch, record -> {}))
          .as("field %d", field)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(new RecordBatch().wrap(batch, 0).validate(batch.limit())).isNull();
    }
  }

  @Example
  void shouldRejectBatchLengthFarBeyondTheBufferWithoutAllocating() {
    ByteBuffer batch = build(List.of(new Input(null, new byte[10], List.of(), BASE_TIMESTAMP)));
    batch.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE);
    assertThat(new RecordBatch().wrap(batch, 0).validate(batch.limit())).contains("length");
    assertThat(RecordReader.forEach(batch, record -> {})).as("bytes of whole batches").isZero();
  }

  @Property(tries = 300)
  void shouldRoundTripVarintsAndVarlongs(@ForAll int intValue, @ForAll long longValue) {
    ByteBuffer buffer = ByteBuffer.allocate(16);
    Varint.writeInt(buffer, intValue);
    assertThat(buffer.position()).isEqualTo(Varint.sizeOfInt(intValue));
    assertThat(Varint.readInt(buffer.flip())).isEqualTo(intValue);
    buffer.clear();
    Varint.writeLong(buffer, longValue);
    assertThat(buffer.position()).isEqualTo(Varint.sizeOfLong(longValue));
    assertThat(Varint.readLong(buffer.flip())).isEqualTo(longValue);
  }

  @Example
  void shouldRejectVarintLongerThanFiveBytes() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {-1, -1, -1, -1, -1, 1});
    assertThatThrownBy(() -> Varint.readInt(buffer)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertDecodersSurvive(ByteBuffer buffer) {
    RecordBatch batch = new RecordBatch().wrap(buffer, 0);
    batch.validate(buffer.limit());
    try {
      RecordReader.forEach(buffer.duplicate(), record -> {});
    } catch (IllegalArgumentException expected) {
      // the one failure the decoder may report
    }
  }

  /** A batch header (valid CRC, one record) around the given record body. */
  private static ByteBuffer batchAround(ByteBuffer body) {
    int recordSize = Varint.sizeOfInt(body.remaining()) + body.remaining();
    ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + recordSize);
    batch.putInt(RecordBatch.LENGTH_OFFSET, batch.capacity() - RecordBatch.LOG_OVERHEAD);
    batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
    batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, -1L);
    batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, 1);
    batch.position(RecordBatch.HEADER_SIZE);
    Varint.writeInt(batch, body.remaining());
    batch.put(body);
    batch.flip();
    new RecordBatch().wrap(batch, 0).updateCrc();
    return batch;
  }

  private static ByteBuffer build(List<Input> inputs) {
    RecordBatchBuilder builder = new RecordBatchBuilder(BASE_TIMESTAMP, 64);
    for (Input input : inputs) {
      builder.append(input.timestamp(), input.key(), input.value(), input.headers());
    }
    return builder.build();
  }

  static List<View> expected(List<Input> inputs, long baseOffset) {
    List<View> views = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      views.add(inputs.get(i).view(baseOffset + i));
    }
    return views;
  }

  static List<View> readWithRecordReader(ByteBuffer batch) {
    List<View> views = new ArrayList<>();
    int read =
        RecordReader.forEach(
            batch.duplicate(),
            record ->
                views.add(
                    new View(
                        record.offset(),
                        record.timestamp(),
                        hex(record.key()),
                        hex(record.value()),
                        record.headers().stream()
                            .map(h -> h.key() + "=" + hex(h.value()))
                            .toList())));
    assertThat(read).as("bytes of whole batches read").isEqualTo(batch.remaining());
    return views;
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? null : HEX.formatHex(bytes);
  }

  private static String hex(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return HEX.formatHex(bytes);
  }
}
