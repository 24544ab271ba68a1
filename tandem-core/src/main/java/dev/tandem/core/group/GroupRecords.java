package dev.tandem.core.group;

import dev.tandem.storage.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable part of the groups, in the broker's offsets {@link StateStore}: every committed
 * offset, and of each group its generation, protocol type and the time it entered its state (the
 * base of offset retention). Membership is not stored: after a restart every group is Empty, and
 * its former members get UNKNOWN_MEMBER_ID and rejoin.
 *
 * <pre>
 *   offset/GROUP/TOPIC/PARTITION     a committed offset
 *     version          int8     0
 *     offset           int64
 *     leaderEpoch      int32    -1 when unknown
 *     commitTimestamp  int64    ms
 *     metadata         int32 length, then UTF-8
 *
 *   group/GROUP                      a group, written at each new generation
 *     version          int8     0
 *     generation       int32
 *     stateTimestamp   int64    ms
 *     protocolType     int32 length (-1 for none), then UTF-8
 * </pre>
 *
 * Group ids may contain '/', topic names may not, so an offset key is split from the right.
 *
 * <p>Thread-safe (the store is).
 */
final class GroupRecords {
  static final String OFFSET_PREFIX = "offset/";
  static final String GROUP_PREFIX = "group/";
  private static final byte VERSION = 0;
  private static final Logger LOG = LoggerFactory.getLogger(GroupRecords.class);

  private final StateStore store;

  GroupRecords(StateStore store) {
    this.store = store;
  }

  CompletableFuture<Void> saveOffset(String groupId, TopicPartition partition, CommittedOffset o) {
    byte[] metadata = o.metadata().getBytes(StandardCharsets.UTF_8);
    ByteBuffer value = ByteBuffer.allocate(1 + 8 + 4 + 8 + 4 + metadata.length);
    value.put(VERSION).putLong(o.offset()).putInt(o.leaderEpoch()).putLong(o.commitTimestamp());
    value.putInt(metadata.length).put(metadata);
    return store.put(offsetKey(groupId, partition), value.array());
  }

  CompletableFuture<Void> removeOffset(String groupId, TopicPartition partition) {
    return store.remove(offsetKey(groupId, partition));
  }

  /**
   * Writes the group's generation. Not awaited: membership is not durable, and a lost record only
   * means the group restarts at an older generation.
   */
  void saveGroup(Group group) {
    byte[] type =
        group.protocolType() == null ? null : group.protocolType().getBytes(StandardCharsets.UTF_8);
    ByteBuffer value = ByteBuffer.allocate(1 + 4 + 8 + 4 + (type == null ? 0 : type.length));
    value.put(VERSION).putInt(group.generationId()).putLong(group.stateTimestamp());
    if (type == null) {
      value.putInt(-1);
    } else {
      value.putInt(type.length).put(type);
    }
    String groupId = group.groupId();
    store
        .put(GROUP_PREFIX + groupId, value.array())
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn("could not save group {}", groupId, e);
              }
            });
  }

  CompletableFuture<Void> removeGroup(String groupId) {
    return store.remove(GROUP_PREFIX + groupId);
  }

  /** Every stored group, Empty, with its offsets. */
  Map<String, Group> load(long now) {
    Map<String, Group> groups = new HashMap<>();
    for (Map.Entry<String, byte[]> entry : store.scan(GROUP_PREFIX).entrySet()) {
      String groupId = entry.getKey().substring(GROUP_PREFIX.length());
      ByteBuffer value = ByteBuffer.wrap(entry.getValue());
      checkVersion(value, entry.getKey());
      int generation = value.getInt();
      long stateTimestamp = value.getLong();
      String protocolType = string(value);
      groups.put(
          groupId,
          new Group(
              groupId,
              generation,
              protocolType == null || protocolType.isEmpty() ? null : protocolType,
              stateTimestamp));
    }
    for (Map.Entry<String, byte[]> entry : store.scan(OFFSET_PREFIX).entrySet()) {
      String key = entry.getKey();
      int partitionAt = key.lastIndexOf('/');
      int topicAt = key.lastIndexOf('/', partitionAt - 1);
      String groupId = key.substring(OFFSET_PREFIX.length(), topicAt);
      TopicPartition partition =
          new TopicPartition(
              key.substring(topicAt + 1, partitionAt),
              Integer.parseInt(key.substring(partitionAt + 1)));
      ByteBuffer value = ByteBuffer.wrap(entry.getValue());
      checkVersion(value, key);
      long offset = value.getLong();
      int leaderEpoch = value.getInt();
      long commitTimestamp = value.getLong();
      CommittedOffset committed =
          new CommittedOffset(offset, leaderEpoch, string(value), commitTimestamp);
      groups.computeIfAbsent(groupId, id -> new Group(id, now)).offsets().put(partition, committed);
    }
    return groups;
  }

  static String offsetKey(String groupId, TopicPartition partition) {
    return OFFSET_PREFIX + groupId + "/" + partition.topic() + "/" + partition.partition();
  }

  private static void checkVersion(ByteBuffer value, String key) {
    byte version = value.get();
    if (version != VERSION) {
      throw new IllegalStateException("unknown record version " + version + " of " + key);
    }
  }

  private static String string(ByteBuffer value) {
    int length = value.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    value.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
