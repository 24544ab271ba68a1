package dev.tandem.storage.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A {@link StateStore}'s whole map as of one offset of its change log, in {@code
 * snapshot-OFFSET.snapshot}:
 *
 * <pre>
 *   magic      int32 'TSNP'
 *   offset     int64   changes below this offset are included
 *   count      int32
 *   entries    count x [keyLength int32, key UTF-8, valueLength int32, value]
 *   crc        int32   CRC-32C of everything before it
 * </pre>
 *
 * Written to a temp file, fsynced and renamed; a file that fails its CRC is ignored and the next
 * older one is used (the store keeps two, see {@link StateStore}).
 *
 * @param offset the change-log offset the snapshot is taken at
 * @param entries the map
 */
record StateSnapshot(long offset, TreeMap<String, byte[]> entries) {
  private static final int MAGIC = 0x54534E50;
  private static final String PREFIX = "snapshot-";
  private static final String SUFFIX = ".snapshot";

  static void write(Path dir, long offset, Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeLong(offset);
    out.writeInt(entries.size());
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
      out.writeInt(key.length);
      out.write(key);
      out.writeInt(entry.getValue().length);
      out.write(entry.getValue());
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    out.flush();
    Path file = dir.resolve(String.format("%s%020d%s", PREFIX, offset, SUFFIX));
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /** The newest snapshot that reads back whole, or null. */
  static StateSnapshot latest(Path dir) throws IOException {
    List<Path> files = snapshots(dir);
    for (int i = files.size() - 1; i >= 0; i--) {
      StateSnapshot snapshot = read(files.get(i));
      if (snapshot != null) {
        return snapshot;
      }
    }
    return null;
  }

  static void deleteOlderThan(Path dir, long offset) throws IOException {
    for (Path file : snapshots(dir)) {
      if (offsetOf(file) < offset) {
        Files.delete(file);
      }
    }
  }

  private static List<Path> snapshots(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .sorted()
          .forEach(files::add);
    }
    return files;
  }

  private static long offsetOf(Path file) {
    String name = String.valueOf(file.getFileName());
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  private static StateSnapshot read(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
    try {
      CRC32C crc = new CRC32C();
      crc.update(buffer.array(), 0, buffer.limit() - 4);
      if ((int) crc.getValue() != buffer.getInt(buffer.limit() - 4) || buffer.getInt() != MAGIC) {
        return null;
      }
      long offset = buffer.getLong();
      int count = buffer.getInt();
      TreeMap<String, byte[]> entries = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        byte[] key = new byte[buffer.getInt()];
        buffer.get(key);
        byte[] value = new byte[buffer.getInt()];
        buffer.get(value);
        entries.put(new String(key, StandardCharsets.UTF_8), value);
      }
      return new StateSnapshot(offset, entries);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
