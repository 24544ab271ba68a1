package dev.tandem.storage.record;

import static dev.tandem.storage.record.RecordCodecTest.expected;
import static dev.tandem.storage.record.RecordCodecTest.readWithRecordReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.record.RecordCodecTest.Input;
import dev.tandem.storage.record.RecordCodecTest.View;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitrary;
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
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

/**
 * {@link RecordReader} on batches that kafka-clients compressed with each of Kafka's codecs, and
 * the decoders of {@link CompressionCodec} against truncated, corrupt, random and oversized input:
 * they answer with exactly the records written or with {@link IllegalArgumentException}, nothing
 * else.
 */
class CompressionCodecTest {
  private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

  /** Kafka's codecs as a producer configures them, in the order of their compression ids. */
  enum Codec {
    GZIP(Compression.gzip().build(), 10),
    SNAPPY(Compression.snappy().build(), 16),
    LZ4(Compression.lz4().build(), 7),
    ZSTD(Compression.zstd().build(), 6);

    final Compression compression;

    /** Bytes at the start of kafka-clients' output that are the same for any records. */
    final int headerBytes;

    Codec(Compression compression, int headerBytes) {
      this.compression = compression;
      this.headerBytes = headerBytes;
    }

    int id() {
      return ordinal() + 1;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Provide
  Arbitrary<List<Input>> records() {
    return RecordCodecTest.inputs();
  }

  @Property(tries = 200)
  void shouldReadBatchesThatKafkaClientsCompressedWithEveryCodec(
      @ForAll("records") List<Input> inputs,
      @ForAll Codec codec,
      @ForAll @LongRange(max = 1L << 40) long baseOffset,
      @ForAll boolean direct) {
    ByteBuffer batch = kafkaBatch(codec, baseOffset, inputs);
    if (direct) {
      // as read from a file
      batch = ByteBuffer.allocateDirect(batch.remaining()).put(batch).flip();
    }

    RecordBatch flyweight = new RecordBatch().wrap(batch, batch.position());
    assertThat(flyweight.validate(batch.limit())).isNull();
    assertThat(flyweight.compression()).isEqualTo(codec.id());
    assertThat(readWithRecordReader(batch)).isEqualTo(expected(inputs, baseOffset));
  }

  @Example
  void shouldReadBatchesSpanningManyCompressedBlocks() {
    // 40 x 8 KiB: several snappy chunks (32 KiB), lz4 blocks (64 KiB) and gzip buffers.
    Random random = new Random(42);
    List<Input> inputs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] value = new byte[8192];
      for (int j = 0; j < value.length; j++) {
        value[j] = (byte) ('a' + random.nextInt(4));
      }
      byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
      List<RecordBatchBuilder.Header> headers =
          List.of(new RecordBatchBuilder.Header("n", new byte[] {(byte) i}));
      inputs.add(new Input(key, i % 5 == 0 ? null : value, headers, BASE_TIMESTAMP + i));
    }
    for (Codec codec : Codec.values()) {
      ByteBuffer batch = kafkaBatch(codec, 1000, inputs);
      assertThat(batch.remaining()).as("%s compresses", codec).isLessThan(40 * 8192);
      assertThat(readWithRecordReader(batch)).as("%s", codec).isEqualTo(expected(inputs, 1000));
    }
  }

  @Example
  void shouldReadConsecutiveBatchesOfEveryCodecInOneBuffer() {
    List<Input> inputs = fewRecords();
    List<ByteBuffer> batches = new ArrayList<>();
    List<View> expected = new ArrayList<>();
    long offset = 7;
    for (Codec codec : Codec.values()) {
      batches.add(kafkaBatch(codec, offset, inputs));
      expected.addAll(expected(inputs, offset));
      offset += inputs.size();
    }
    batches.add(kafkaBatch(Compression.NONE, offset, inputs));
    expected.addAll(expected(inputs, offset));

    assertThat(readWithRecordReader(concat(batches))).isEqualTo(expected);
  }

  @Example
  void shouldReadRawSnappyBlocksWithoutXerialFraming() throws IOException {
    List<Input> inputs = fewRecords();
    ByteBuffer plain = kafkaBatch(Compression.NONE, 3, inputs);
    ByteBuffer batch =
        withRecordsSection(plain, Codec.SNAPPY.id(), Snappy.compress(section(plain)));

    assertThat(readWithRecordReader(batch)).isEqualTo(expected(inputs, 3));
  }

  @Example
  void shouldReadConcatenatedXerialSnappyStreams() throws IOException {
    List<Input> inputs = fewRecords();
    ByteBuffer plain = kafkaBatch(Compression.NONE, 3, inputs);
    byte[] records = section(plain);
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    int half = records.length / 2;
    try (OutputStream first = new SnappyOutputStream(framed)) {
      first.write(records, 0, half);
    }
    try (OutputStream second = new SnappyOutputStream(framed)) {
      second.write(records, half, records.length - half);
    }
    ByteBuffer batch = withRecordsSection(plain, Codec.SNAPPY.id(), framed.toByteArray());

    assertThat(readWithRecordReader(batch)).isEqualTo(expected(inputs, 3));
  }

  @Example
  void shouldRefuseBatchesLargerThanTheBoundOnceDecompressed() {
    List<Input> inputs =
        List.of(
            new Input(null, new byte[300_000], List.of(), BASE_TIMESTAMP),
            new Input(new byte[] {1}, null, List.of(), BASE_TIMESTAMP),
            new Input(null, new byte[300_000], List.of(), BASE_TIMESTAMP));
    int decompressed = section(kafkaBatch(Compression.NONE, 0, inputs)).length;
    for (Codec codec : Codec.values()) {
      ByteBuffer batch = kafkaBatch(codec, 0, inputs);
      assertThat(batch.remaining()).as("%s compresses", codec).isLessThan(decompressed / 10);

      List<LogRecord> read = new ArrayList<>();
      RecordReader.forEach(batch.duplicate(), decompressed, read::add);
      assertThat(read).as("%s at the bound", codec).hasSize(3);
      assertThatThrownBy(() -> RecordReader.forEach(batch.duplicate(), decompressed - 1, r -> {}))
          .as("%s one byte past the bound", codec)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("decompressed batch larger than " + (decompressed - 1) + " bytes");
    }
  }

  @Example
  void shouldRejectTruncatedCompressedData() {
    for (Codec codec : Codec.values()) {
      ByteBuffer batch = kafkaBatch(codec, 0, fewRecords());
      byte[] compressed = section(batch);
      ByteBuffer truncated =
          withRecordsSection(batch, codec.id(), Arrays.copyOf(compressed, compressed.length - 6));
      assertThatThrownBy(() -> RecordReader.forEach(truncated, r -> {}))
          .as("%s", codec)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed " + codec.label());
    }
  }

  @Example
  void shouldRejectGarbageInPlaceOfCompressedData() {
    byte[] garbage = new byte[64];
    Arrays.fill(garbage, (byte) 0x5A);
    for (Codec codec : Codec.values()) {
      ByteBuffer batch =
          withRecordsSection(kafkaBatch(codec, 0, fewRecords()), codec.id(), garbage);
      assertThatThrownBy(() -> RecordReader.forEach(batch, r -> {}))
          .as("%s", codec)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed " + codec.label());
    }
  }

  @Example
  void shouldRejectSnappyLengthsTheBlockCannotInflateTo() {
    // A raw block of 20 bytes whose length prefix, an unsigned varint, says 30 << 21 = 60 MiB.
    byte[] block = Arrays.copyOf(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 30}, 20);
    ByteBuffer batch = withRecordsSection(kafkaBatch(Compression.NONE, 0, fewRecords()), 2, block);

    assertThatThrownBy(() -> RecordReader.forEach(batch, r -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed snappy")
        .hasMessageContaining("announces " + (60 << 20));
  }

  @Example
  void shouldRejectUnknownCodecs() {
    ByteBuffer plain = kafkaBatch(Compression.NONE, 0, fewRecords());
    for (int id = 5; id <= 7; id++) {
      ByteBuffer batch = withRecordsSection(plain, id, section(plain));
      assertThatThrownBy(() -> RecordReader.forEach(batch, r -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown compression codec " + id);
    }
  }

  @Property(tries = 500)
  void shouldThrowOnlyIllegalArgumentOnRandomCompressedBytes(
      @ForAll Codec codec, @ForAll @Size(max = 2000) byte[] bytes, @ForAll boolean withHeader) {
    ByteBuffer batch = kafkaBatch(codec, 0, fewRecords());
    byte[] section = bytes;
    if (withHeader) {
      // Start as kafka-clients does, so that the decoder gets past the stream header.
      section = Arrays.copyOf(section(batch), codec.headerBytes + bytes.length);
      System.arraycopy(bytes, 0, section, codec.headerBytes, bytes.length);
    }
    assertReaderSurvives(withRecordsSection(batch, codec.id(), section));
  }

  @Property(tries = 500)
  void shouldThrowOnlyIllegalArgumentOnCorruptedCompressedBatches(
      @ForAll("records") List<Input> inputs,
      @ForAll Codec codec,
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
      @ForAll @Size(min = 5, max = 5) List<Byte> values) {
    ByteBuffer batch = kafkaBatch(codec, 0, inputs);
    int sectionSize = batch.remaining() - RecordBatch.HEADER_SIZE;
    for (int i = 0; i < positions.size(); i++) {
      int at = batch.position() + RecordBatch.HEADER_SIZE + positions.get(i) % sectionSize;
      batch.put(at, (byte) (batch.get(at) ^ (values.get(i) == 0 ? 1 : values.get(i))));
    }
    assertReaderSurvives(batch);
  }

  private static void assertReaderSurvives(ByteBuffer batch) {
    try {
      RecordReader.forEach(batch, record -> {});
    } catch (IllegalArgumentException expected) {
      // the one failure the reader may report
    }
  }

  private static List<Input> fewRecords() {
    byte[] value = "value ".repeat(50).getBytes(StandardCharsets.UTF_8);
    return List.of(
        new Input(
            "k1".getBytes(StandardCharsets.UTF_8),
            value,
            List.of(new RecordBatchBuilder.Header("h", new byte[] {1, 2})),
            BASE_TIMESTAMP),
        new Input("k2".getBytes(StandardCharsets.UTF_8), null, List.of(), BASE_TIMESTAMP + 5),
        new Input(
            null,
            value,
            List.of(
                new RecordBatchBuilder.Header("a", null),
                new RecordBatchBuilder.Header("b", new byte[0])),
            BASE_TIMESTAMP - 3));
  }

  private static ByteBuffer kafkaBatch(Codec codec, long baseOffset, List<Input> inputs) {
    return kafkaBatch(codec.compression, baseOffset, inputs);
  }

  /** One batch as a Kafka producer writes it, its base offset set as the log assigns it. */
  private static ByteBuffer kafkaBatch(
      Compression compression, long baseOffset, List<Input> inputs) {
    MemoryRecordsBuilder builder =
        MemoryRecords.builder(
            ByteBuffer.allocate(1024),
            org.apache.kafka.common.record.internal.RecordBatch.CURRENT_MAGIC_VALUE,
            compression,
            TimestampType.CREATE_TIME,
            baseOffset);
    for (Input input : inputs) {
      Header[] headers =
          input.headers().stream()
              .map(h -> (Header) new RecordHeader(h.key(), h.value()))
              .toArray(Header[]::new);
      builder.append(input.timestamp(), input.key(), input.value(), headers);
    }
    return builder.build().buffer();
  }

  /** The records section of a batch: all after its header, compressed or not. */
  private static byte[] section(ByteBuffer batch) {
    byte[] section = new byte[batch.remaining() - RecordBatch.HEADER_SIZE];
    batch.duplicate().position(batch.position() + RecordBatch.HEADER_SIZE).get(section);
    return section;
  }

  /** {@code batch}'s header over another records section, with the codec id and CRC to match. */
  private static ByteBuffer withRecordsSection(ByteBuffer batch, int codecId, byte[] section) {
    ByteBuffer copy = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + section.length);
    copy.put(batch.duplicate().limit(batch.position() + RecordBatch.HEADER_SIZE));
    copy.put(section).flip();
    RecordBatch flyweight = new RecordBatch().wrap(copy, 0);
    copy.putInt(RecordBatch.LENGTH_OFFSET, copy.limit() - RecordBatch.LOG_OVERHEAD);
    flyweight.attributes(
        (short) ((flyweight.attributes() & ~RecordBatch.COMPRESSION_MASK) | codecId));
    flyweight.updateCrc();
    return copy;
  }

  private static ByteBuffer concat(List<ByteBuffer> batches) {
    ByteBuffer all = ByteBuffer.allocate(batches.stream().mapToInt(ByteBuffer::remaining).sum());
    batches.forEach(b -> all.put(b.duplicate()));
    return all.flip();
  }
}
