package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.Log;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetForLeaderEpoch (KIP-101, fencing KIP-320): the end offset of a leader epoch, which clients
 * use to detect log truncation. Every partition of Tandem has had one leader, this broker, in one
 * epoch, 0, since its log start; the answers follow Kafka's leader-epoch cache with that one entry:
 *
 * <ul>
 *   <li>a current leader epoch (when not -1) below 0 is FENCED_LEADER_EPOCH, above 0
 *       UNKNOWN_LEADER_EPOCH;
 *   <li>epoch 0 ends at the high watermark, the end of what clients can read;
 *   <li>an epoch above 0, or -1, is unknown: epoch -1 and end offset -1;
 *   <li>any other negative epoch precedes epoch 0, which starts at the log start offset.
 * </ul>
 *
 * Stateless.
 */
public final class OffsetForLeaderEpochHandler implements KafkaApi {
  private static final int LEADER_EPOCH = 0;

  /** RecordBatch.NO_PARTITION_LEADER_EPOCH: no current epoch given, no fencing. */
  private static final int NO_EPOCH = -1;

  private static final long UNDEFINED_OFFSET = -1;

  private final KafkaNode kafka;

  public OffsetForLeaderEpochHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    OffsetForLeaderEpochRequestData data = request.data();
    OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
    for (OffsetForLeaderTopic wanted : data.topics()) {
      OffsetForLeaderTopicResult result = response.topics().find(wanted.topic());
      if (result == null) {
        result = new OffsetForLeaderTopicResult().setTopic(wanted.topic());
        response.topics().add(result);
      }
      Optional<Topic> topic = kafka.node().topics().topic(wanted.topic());
      for (OffsetForLeaderPartition partition : wanted.partitions()) {
        result.partitions().add(endOffset(topic, partition));
      }
    }
    return CompletableFuture.completedFuture(response);
  }

  private static EpochEndOffset endOffset(Optional<Topic> topic, OffsetForLeaderPartition wanted) {
    EpochEndOffset result =
        new EpochEndOffset()
            .setPartition(wanted.partition())
            .setLeaderEpoch(NO_EPOCH)
            .setEndOffset(UNDEFINED_OFFSET);
    int index = wanted.partition();
    if (topic.isEmpty() || index < 0 || index >= topic.get().partitions().size()) {
      return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    int current = wanted.currentLeaderEpoch();
    if (current != NO_EPOCH && current < LEADER_EPOCH) {
      return result.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
    }
    if (current > LEADER_EPOCH) {
      return result.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
    }
    Log log = topic.get().partition(index).log();
    int epoch = wanted.leaderEpoch();
    if (epoch == LEADER_EPOCH) {
      return result.setLeaderEpoch(LEADER_EPOCH).setEndOffset(log.highWatermark());
    }
    if (epoch < NO_EPOCH) {
      return result.setLeaderEpoch(epoch).setEndOffset(log.startOffset());
    }
    return result;
  }
}
