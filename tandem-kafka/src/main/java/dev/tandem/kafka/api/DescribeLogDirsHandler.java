package dev.tandem.kafka.api;

import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.Log;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs (KIP-113; volume sizes KIP-827; cordoning KIP-1066): the one log directory of the
 * data directory, with each asked-for partition's size on disk and its offset lag (log end minus
 * high watermark: appends waiting for their fsync). Partitions that do not exist are left out, as
 * Kafka does. There are no future logs (no AlterReplicaLogDirs) and a directory is never cordoned.
 * Stateless.
 */
public final class DescribeLogDirsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public DescribeLogDirsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DESCRIBE_LOG_DIRS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DescribeLogDirsRequestData data = request.data();
    Path root = kafka.node().directory().root();
    Path dir = root.resolve("logs");
    DescribeLogDirsResult result =
        new DescribeLogDirsResult().setLogDir(dir.toString()).setIsCordoned(false);
    try {
      FileStore store = Files.getFileStore(root);
      result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
    } catch (IOException e) {
      result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
    }
    if (data.topics() == null) {
      for (Topic topic : kafka.node().topics().all()) {
        result.topics().add(describe(topic, null));
      }
    } else {
      for (DescribableLogDirTopic wanted : data.topics()) {
        Optional<Topic> topic = kafka.node().topics().topic(wanted.topic());
        if (topic.isPresent()) {
          DescribeLogDirsTopic described = describe(topic.get(), wanted.partitions());
          if (!described.partitions().isEmpty()) {
            result.topics().add(described);
          }
        }
      }
    }
    DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
    response.results().add(result);
    return CompletableFuture.completedFuture(response);
  }

  /** The topic's partitions, or only those in {@code indexes} when that is not null. */
  private static DescribeLogDirsTopic describe(Topic topic, List<Integer> indexes) {
    List<DescribeLogDirsPartition> partitions = new ArrayList<>();
    for (Partition partition : topic.partitions()) {
      if (indexes != null && !indexes.contains(partition.index())) {
        continue;
      }
      Log log = partition.log();
      partitions.add(
          new DescribeLogDirsPartition()
              .setPartitionIndex(partition.index())
              .setPartitionSize(log.sizeInBytes())
              .setOffsetLag(Math.max(0, log.endOffset() - log.highWatermark()))
              .setIsFutureKey(false));
    }
    return new DescribeLogDirsTopic().setName(topic.name()).setPartitions(partitions);
  }
}
