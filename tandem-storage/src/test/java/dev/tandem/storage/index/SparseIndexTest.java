package dev.tandem.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.LogContents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/** {@link SparseIndex} against a {@link TreeMap}, and its file format against damage. */
class SparseIndexTest {
  private Path dir;

  @BeforeTry
  void createDirectory() throws IOException {
    dir = LogContents.scratchDirectory("sparse-index");
  }

  @AfterTry
  void deleteDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  sealed interface Op permits Append, Floor, TruncateFrom, RoundTrip {}

  /** Appends at the last key plus {@code gap}, so keys stay strictly increasing. */
  record Append(int gap, int value) implements Op {}

  /** Looks up the floor of the last key plus {@code delta} (negative deltas look back). */
  record Floor(int delta) implements Op {}

  record TruncateFrom(int delta) implements Op {}

  /** Writes the index to a file, loads it and goes on with a mutable copy of what was loaded. */
  record RoundTrip() implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> append =
        Combinators.combine(Arbitraries.integers().between(1, 1000), Arbitraries.integers())
            .as(Append::new);
    Arbitrary<Op> floor = Arbitraries.integers().between(-20_000, 100).map(Floor::new);
    Arbitrary<Op> truncate = Arbitraries.integers().between(-5_000, 100).map(TruncateFrom::new);
    Arbitrary<Op> roundTrip = Arbitraries.just(new RoundTrip());
    return Arbitraries.frequencyOf(
            List.of(
                Tuple.of(10, append),
                Tuple.of(5, floor),
                Tuple.of(1, truncate),
                Tuple.of(1, roundTrip)))
        .list()
        .ofMaxSize(200)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  @Property(tries = 200)
  void shouldAgreeWithTreeMapOnAppendFloorTruncateAndReload(
      @ForAll("operations") List<Op> operations, @ForAll long firstKey) throws IOException {
    long base = firstKey >> 8; // leaves room above for the keys to grow
    SparseIndex index = SparseIndex.empty();
    TreeMap<Long, Integer> model = new TreeMap<>();
    Path file = dir.resolve("model.index");
    for (Op op : operations) {
      long last = model.isEmpty() ? base : model.lastKey();
      if (op instanceof Append append) {
        long key = model.isEmpty() ? base : last + append.gap();
        index.append(key, append.value());
        model.put(key, append.value());
      } else if (op instanceof Floor floor) {
        long target = last + floor.delta();
        int found = index.floor(target);
        Map.Entry<Long, Integer> expected = model.floorEntry(target);
        if (expected == null) {
          assertThat(found).as("floor(%d)", target).isEqualTo(-1);
        } else {
          assertThat(index.keyAt(found)).as("floor(%d) key", target).isEqualTo(expected.getKey());
          assertThat(index.valueAt(found)).isEqualTo(expected.getValue());
        }
      } else if (op instanceof TruncateFrom truncate) {
        long key = last + truncate.delta();
        index.truncateFrom(key);
        model.tailMap(key, true).clear();
      } else if (op instanceof RoundTrip) {
        index.writeTo(file);
        SparseIndex loaded = SparseIndex.load(file);
        assertThat(loaded).as("a written index loads").isNotNull();
        assertSameEntries(loaded, model);
        index = loaded.mutableCopy();
      }
      assertSameEntries(index, model);
    }
  }

  @Property(tries = 200)
  void shouldRejectIndexFileWithAnyFlippedByte(
      @ForAll("entries") TreeMap<Long, Integer> entries,
      @ForAll @IntRange(min = 0, max = 1 << 20) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    Path file = write(entries);
    byte[] bytes = Files.readAllBytes(file);
    int at = position % bytes.length;
    bytes[at] = (byte) (bytes[at] ^ mask);
    Files.write(file, bytes);
    assertThat(SparseIndex.load(file)).as("index with byte %d flipped", at).isNull();
  }

  @Property(tries = 200)
  void shouldRejectIndexFileOfWrongSize(
      @ForAll("entries") TreeMap<Long, Integer> entries,
      @ForAll @IntRange(min = -40, max = 40) int sizeChange)
      throws IOException {
    Path file = write(entries);
    byte[] bytes = Files.readAllBytes(file);
    int size = Math.max(0, bytes.length + sizeChange);
    if (size == bytes.length) {
      size++;
    }
    byte[] changed = new byte[size];
    System.arraycopy(bytes, 0, changed, 0, Math.min(size, bytes.length));
    Files.write(file, changed);
    assertThat(SparseIndex.load(file)).as("index cut or grown to %d bytes", size).isNull();
  }

  @Provide
  Arbitrary<TreeMap<Long, Integer>> entries() {
    return Arbitraries.maps(Arbitraries.longs().between(0, 1L << 40), Arbitraries.integers())
        .ofMaxSize(50)
        .map(TreeMap::new);
  }

  @Example
  void shouldRejectIndexWithUnsortedKeysEvenWithValidTrailer() throws IOException {
    ByteBuffer body = ByteBuffer.allocate(2 * SparseIndex.ENTRY_SIZE);
    body.putLong(20).putInt(1).putLong(10).putInt(2).flip();
    CRC32C crc = new CRC32C();
    crc.update(body.duplicate());
    ByteBuffer trailer = ByteBuffer.allocate(12);
    trailer.putInt(0x54494458).putInt(2).putInt((int) crc.getValue()).flip();
    Path file = dir.resolve("unsorted.index");
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(new ByteBuffer[] {body, trailer});
    }
    assertThat(SparseIndex.load(file)).isNull();
  }

  @Example
  void shouldLoadNothingForAMissingFile() throws IOException {
    assertThat(SparseIndex.load(dir.resolve("missing.index"))).isNull();
  }

  @Example
  void shouldRoundTripAnEmptyIndex() throws IOException {
    Path file = dir.resolve("empty.index");
    SparseIndex.empty().writeTo(file);
    SparseIndex loaded = SparseIndex.load(file);
    assertThat(loaded).isNotNull();
    assertThat(loaded.count()).isZero();
    assertThat(loaded.floor(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Example
  void shouldRefuseAppendsToALoadedIndexAndKeysBelowTheLast() throws IOException {
    SparseIndex index = SparseIndex.empty();
    index.append(10, 1);
    assertThatThrownBy(() -> index.append(9, 2)).isInstanceOf(IllegalArgumentException.class);
    Path file = dir.resolve("sealed.index");
    index.writeTo(file);
    SparseIndex loaded = SparseIndex.load(file);
    assertThat(loaded).isNotNull();
    assertThatThrownBy(() -> loaded.append(11, 2)).isInstanceOf(IllegalStateException.class);
  }

  private Path write(TreeMap<Long, Integer> entries) throws IOException {
    SparseIndex index = SparseIndex.empty();
    entries.forEach(index::append);
    Path file = dir.resolve("damaged.index");
    index.writeTo(file);
    return file;
  }

  private static void assertSameEntries(SparseIndex index, TreeMap<Long, Integer> model) {
    assertThat(index.count()).as("entry count").isEqualTo(model.size());
    int i = 0;
    for (Map.Entry<Long, Integer> entry : model.entrySet()) {
      assertThat(index.keyAt(i)).isEqualTo(entry.getKey());
      assertThat(index.valueAt(i)).isEqualTo(entry.getValue());
      i++;
    }
    assertThat(index.lastKey(-1)).isEqualTo(model.isEmpty() ? -1 : model.lastKey());
    assertThat(index.lastValue(-1)).isEqualTo(model.isEmpty() ? -1 : model.lastEntry().getValue());
  }
}
