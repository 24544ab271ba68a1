package dev.tandem.kafka.api;

import dev.tandem.core.group.CommittedOffset;
import dev.tandem.core.group.TopicPartition;
import dev.tandem.core.topic.Topic;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchResponse;

/**
 * OffsetFetch: a group's committed offsets, -1 where there is none (and for unknown groups); all of
 * them when the topic list is null (v2+). v1-7 ask for one group, v8+ for a batch (KIP-709); v10
 * names topics by id, and an unknown id gets UNKNOWN_TOPIC_ID. Transactions are not implemented, so
 * no offset is ever pending and require_stable (v7+) changes nothing. The member id and epoch of
 * v9+ concern only KIP-848 groups and are ignored for classic groups, as in Kafka.
 */
public final class OffsetFetchHandler implements KafkaApi {
  private final KafkaNode kafka;

  public OffsetFetchHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.OFFSET_FETCH;
  }

  /** One topic asked for: by name, or by id resolved to a name (null when the id is unknown). */
  private record Wanted(String name, org.apache.kafka.common.Uuid id, List<Integer> partitions) {}

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    OffsetFetchRequestData data = request.data();
    short version = request.version();
    List<OffsetFetchResponseData.OffsetFetchResponseGroup> groups = new ArrayList<>();
    if (version < 8) {
      List<Wanted> wanted = null;
      if (data.topics() != null) {
        wanted = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : data.topics()) {
          wanted.add(new Wanted(topic.name(), null, topic.partitionIndexes()));
        }
      }
      groups.add(fetch(data.groupId(), wanted, version));
    } else {
      for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
        List<Wanted> wanted = null;
        if (group.topics() != null) {
          wanted = new ArrayList<>();
          for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
            wanted.add(
                version >= 10
                    ? new Wanted(name(topic.topicId()), topic.topicId(), topic.partitionIndexes())
                    : new Wanted(topic.name(), null, topic.partitionIndexes()));
          }
        }
        groups.add(fetch(group.groupId(), wanted, version));
      }
    }
    return CompletableFuture.completedFuture(
        new OffsetFetchResponse.Builder(groups).build(version).data());
  }

  private String name(org.apache.kafka.common.Uuid id) {
    return kafka.node().topics().topic(KafkaNode.fromKafka(id)).map(Topic::name).orElse(null);
  }

  private OffsetFetchResponseData.OffsetFetchResponseGroup fetch(
      String groupId, List<Wanted> wanted, short version) {
    OffsetFetchResponseData.OffsetFetchResponseGroup group =
        new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(groupId);
    if (wanted == null) {
      Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> byTopic =
          new LinkedHashMap<>();
      kafka
          .node()
          .groups()
          .fetchOffsets(groupId, null)
          .forEach(
              (partition, offset) -> {
                OffsetFetchResponseData.OffsetFetchResponseTopics topic =
                    byTopic.computeIfAbsent(partition.topic(), name -> topic(name, version));
                if (topic != null) {
                  topic.partitions().add(partition(partition.partition(), offset, version));
                }
              });
      byTopic.values().stream().filter(t -> t != null).forEach(group.topics()::add);
      return group;
    }
    for (Wanted topic : wanted) {
      OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse =
          new OffsetFetchResponseData.OffsetFetchResponseTopics();
      if (version >= 10) {
        topicResponse.setTopicId(topic.id());
      } else {
        topicResponse.setName(topic.name());
      }
      group.topics().add(topicResponse);
      if (topic.name() == null) {
        for (int index : topic.partitions()) {
          topicResponse
              .partitions()
              .add(
                  partition(index, CommittedOffset.NONE, version)
                      .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
        }
        continue;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      topic.partitions().forEach(index -> partitions.add(new TopicPartition(topic.name(), index)));
      kafka
          .node()
          .groups()
          .fetchOffsets(groupId, partitions)
          .forEach(
              (partition, offset) ->
                  topicResponse
                      .partitions()
                      .add(partition(partition.partition(), offset, version)));
    }
    return group;
  }

  /** A response topic for "all topics": named, or at v10 by id (null if the topic is gone). */
  private OffsetFetchResponseData.OffsetFetchResponseTopics topic(String name, short version) {
    OffsetFetchResponseData.OffsetFetchResponseTopics topic =
        new OffsetFetchResponseData.OffsetFetchResponseTopics();
    if (version < 10) {
      return topic.setName(name);
    }
    Optional<Topic> existing = kafka.node().topics().topic(name);
    return existing.map(t -> topic.setTopicId(KafkaNode.toKafka(t.id()))).orElse(null);
  }

  private static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(
      int index, CommittedOffset offset, short version) {
    return new OffsetFetchResponseData.OffsetFetchResponsePartitions()
        .setPartitionIndex(index)
        .setCommittedOffset(offset.offset())
        .setCommittedLeaderEpoch(version >= 5 ? offset.leaderEpoch() : -1)
        .setMetadata(offset.metadata());
  }
}
