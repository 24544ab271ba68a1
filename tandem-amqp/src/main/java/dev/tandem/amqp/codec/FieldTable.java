package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A field table (§4.2.5.5): named, typed values, used for method arguments ({@code x-queue-type},
 * client properties, ...) and the {@code headers} property.
 *
 * <pre>
 *   +----------------+---------------------------------------------------------+
 *   | length:4 (u32) | entries: ( name:shortstr | tag:1 | value ) * up to length |
 *   +----------------+---------------------------------------------------------+
 * </pre>
 *
 * <p>Entries keep their wire order, so a decoded table is written back byte for byte. A name that
 * appears twice keeps its first value, as the Java client does. Nesting (tables and arrays inside
 * tables) is refused past {@link #MAX_NESTING_DEPTH} levels with 501 FRAME_ERROR: no client nests
 * that deep, and the limit keeps a crafted frame from exhausting the stack.
 *
 * <p>Immutable and thread-safe.
 */
public final class FieldTable {
  /** How many tables and arrays may enclose one another. */
  public static final int MAX_NESTING_DEPTH = 64;

  public static final FieldTable EMPTY = new FieldTable(Map.of());

  private final Map<String, FieldValue> entries;

  private FieldTable(Map<String, FieldValue> entries) {
    this.entries = entries;
  }

  /** A table with a copy of {@code entries}, in their iteration order. */
  public static FieldTable of(Map<String, FieldValue> entries) {
    if (entries.isEmpty()) {
      return EMPTY;
    }
    Map<String, FieldValue> copy = new LinkedHashMap<>();
    entries.forEach(
        (name, value) ->
            copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name)));
    return new FieldTable(Collections.unmodifiableMap(copy));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads a top-level table. */
  public static FieldTable read(ByteBuf in) {
    return read(in, 0);
  }

  static FieldTable read(ByteBuf in, int depth) {
    checkDepth(depth);
    int length = WireTypes.readLength(in, "field table");
    if (length == 0) {
      return EMPTY;
    }
    ByteBuf items = in.readSlice(length);
    Map<String, FieldValue> entries = new LinkedHashMap<>();
    while (items.isReadable()) {
      String name = WireTypes.readShortString(items);
      FieldValue value = FieldValue.read(items, depth);
      entries.putIfAbsent(name, value);
    }
    return new FieldTable(Collections.unmodifiableMap(entries));
  }

  static void checkDepth(int depth) {
    if (depth > MAX_NESTING_DEPTH) {
      throw AmqpException.frameError(
          "field tables and arrays nested more than " + MAX_NESTING_DEPTH + " deep");
    }
  }

  public void write(ByteBuf out) {
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    for (Map.Entry<String, FieldValue> entry : entries.entrySet()) {
      WireTypes.writeShortString(out, entry.getKey());
      entry.getValue().write(out);
    }
    out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
  }

  /** The entries in wire order, unmodifiable. */
  public Map<String, FieldValue> entries() {
    return entries;
  }

  /** The value named {@code name}, or {@code null}. */
  public FieldValue get(String name) {
    return entries.get(name);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldTable that && entries.equals(that.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  /** Builds a table in insertion order. Not thread-safe. */
  public static final class Builder {
    private final Map<String, FieldValue> entries = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String name, FieldValue value) {
      entries.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder put(String name, String value) {
      return put(name, FieldValue.string(value));
    }

    public Builder put(String name, boolean value) {
      return put(name, FieldValue.bool(value));
    }

    public Builder put(String name, int value) {
      return put(name, FieldValue.int32(value));
    }

    public Builder put(String name, long value) {
      return put(name, FieldValue.int64(value));
    }

    public Builder put(String name, FieldTable value) {
      return put(name, FieldValue.table(value));
    }

    public FieldTable build() {
      return FieldTable.of(entries);
    }
  }
}
