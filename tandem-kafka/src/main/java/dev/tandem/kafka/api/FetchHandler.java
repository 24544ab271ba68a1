package dev.tandem.kafka.api;

import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.TopicException;
import dev.tandem.kafka.network.FileSliceRecords;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.log.FileSlice;
import dev.tandem.storage.log.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Fetch: reads each partition from the requested offset up to its byte limit and the request's, and
 * long-polls (max wait, min bytes) until enough data is durable. Incremental fetch sessions
 * (KIP-227) are declined by answering session id 0, so clients send full requests; a request for an
 * existing session gets FETCH_SESSION_ID_NOT_FOUND.
 */
public final class FetchHandler implements KafkaApi {
  private final KafkaNode kafka;

  public FetchHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.FETCH;
  }

  /** One requested partition and where its response goes. */
  private record Wanted(
      Optional<Partition> partition,
      long offset,
      int maxBytes,
      FetchResponseData.PartitionData response) {}

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    FetchRequestData data = request.data();
    FetchResponseData response = new FetchResponseData().setSessionId(0);
    if (data.sessionId() != 0) {
      return CompletableFuture.completedFuture(
          response.setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));
    }
    List<Wanted> wanted = new ArrayList<>();
    for (FetchRequestData.FetchTopic topicData : data.topics()) {
      boolean byId = request.version() >= 13;
      Optional<Topic> topic =
          byId
              ? kafka.node().topics().topic(KafkaNode.fromKafka(topicData.topicId()))
              : kafka.node().topics().topic(topicData.topic());
      FetchResponseData.FetchableTopicResponse topicResponse =
          new FetchResponseData.FetchableTopicResponse()
              .setTopic(topicData.topic())
              .setTopicId(topicData.topicId());
      response.responses().add(topicResponse);
      for (FetchRequestData.FetchPartition partitionData : topicData.partitions()) {
        FetchResponseData.PartitionData partitionResponse =
            new FetchResponseData.PartitionData().setPartitionIndex(partitionData.partition());
        topicResponse.partitions().add(partitionResponse);
        Optional<Partition> partition = Optional.empty();
        if (topic.isEmpty()) {
          partitionResponse.setErrorCode(
              (byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        } else {
          try {
            partition = Optional.of(topic.get().partition(partitionData.partition()));
          } catch (TopicException e) {
            partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
          }
        }
        wanted.add(
            new Wanted(
                partition,
                partitionData.fetchOffset(),
                partitionData.partitionMaxBytes(),
                partitionResponse));
      }
    }
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.maxWaitMs()));
    return fetch(wanted, data, response, deadline);
  }

  private CompletableFuture<ApiMessage> fetch(
      List<Wanted> wanted, FetchRequestData data, FetchResponseData response, long deadline) {
    int bytes = readAll(wanted, data.maxBytes());
    long remainingNanos = deadline - System.nanoTime();
    if (bytes >= Math.max(1, data.minBytes())
        || remainingNanos <= 0
        || wanted.isEmpty()
        || hasError(wanted)) {
      return CompletableFuture.completedFuture(response);
    }
    List<CompletableFuture<Void>> signals = new ArrayList<>();
    for (Wanted w : wanted) {
      w.partition().ifPresent(p -> signals.add(p.dataAfter(w.offset())));
    }
    return CompletableFuture.anyOf(signals.toArray(new CompletableFuture<?>[0]))
        .completeOnTimeout(null, remainingNanos, TimeUnit.NANOSECONDS)
        .thenCompose(v -> fetch(wanted, data, response, deadline));
  }

  private static boolean hasError(List<Wanted> wanted) {
    return wanted.stream().anyMatch(w -> w.response().errorCode() != Errors.NONE.code());
  }

  private static int readAll(List<Wanted> wanted, int requestMaxBytes) {
    int total = 0;
    for (Wanted w : wanted) {
      if (w.partition().isEmpty()) {
        continue;
      }
      Log log = w.partition().get().log();
      FetchResponseData.PartitionData response = w.response();
      response
          .setHighWatermark(log.highWatermark())
          .setLastStableOffset(log.highWatermark())
          .setLogStartOffset(log.startOffset());
      int limit = Math.min(w.maxBytes(), Math.max(0, requestMaxBytes - total));
      try {
        FileSlice slice = log.read(w.offset(), limit, total == 0);
        response.setRecords(slice.isEmpty() ? MemoryRecords.EMPTY : new FileSliceRecords(slice));
        total += slice.size();
      } catch (IOException | RuntimeException e) {
        response.setErrorCode(KafkaErrors.of(e).code()).setRecords(MemoryRecords.EMPTY);
      }
    }
    return total;
  }
}
