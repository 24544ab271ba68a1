package dev.tandem.kafka.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.Node;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.KafkaProtocol;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaApis;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handlers that wait on the disk run off the connection's event loop, in arrival order: a Metadata
 * request that would auto-create a topic, sent right behind the CreateTopics that makes it, finds
 * the topic CreateTopics made (three partitions) rather than creating its own.
 */
class OffLoopTest {
  @TempDir Path dataDir;
  private LogDirectory directory;
  private KafkaApis apis;
  private Topics topics;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dataDir);
    Node node = Node.open(directory, new Topics.TopicDefaults(LogConfig.DEFAULT, 1, true));
    apis = new KafkaProtocol(new KafkaNode(node, 1, "127.0.0.1", 9092), 1 << 20).apis();
    topics = node.topics();
  }

  @AfterEach
  void close() throws Exception {
    directory.close();
  }

  private CompletableFuture<ApiMessage> send(ApiKeys key, ApiMessage data, short version) {
    KafkaApi api = apis.api(key);
    AbstractRequest request =
        AbstractRequest.parseRequest(key, version, MessageUtil.toByteBufferAccessor(data, version))
            .request;
    return api.handle(new KafkaRequest(new RequestHeader(key, version, "test", 1), request, null));
  }

  @Test
  void shouldCreateTopicsOffTheCallingThreadAndBeforeMetadataQueuedBehindIt() throws Exception {
    CompletableFuture<ApiMessage> created;
    CompletableFuture<ApiMessage> described;
    // While this thread holds the topics, work done on it would go through (the lock is
    // reentrant); work done elsewhere waits.
    synchronized (topics) {
      created =
          send(
              ApiKeys.CREATE_TOPICS,
              new CreateTopicsRequestData()
                  .setTimeoutMs(5_000)
                  .setTopics(
                      new CreateTopicsRequestData.CreatableTopicCollection(
                          List.of(
                                  new CreateTopicsRequestData.CreatableTopic()
                                      .setName("orders")
                                      .setNumPartitions(3)
                                      .setReplicationFactor((short) 1))
                              .iterator())),
              (short) 7);
      described =
          send(
              ApiKeys.METADATA,
              new MetadataRequestData()
                  .setAllowAutoTopicCreation(true)
                  .setTopics(
                      List.of(new MetadataRequestData.MetadataRequestTopic().setName("orders"))),
              (short) 12);
      Thread.sleep(100);
      assertThat(created).as("created on another thread, which waits for the lock").isNotDone();
      assertThat(described).isNotDone();
    }
    CreateTopicsResponseData createResponse =
        (CreateTopicsResponseData) created.get(5, TimeUnit.SECONDS);
    assertThat(createResponse.topics().find("orders").errorCode()).isZero();
    MetadataResponseData metadata = (MetadataResponseData) described.get(5, TimeUnit.SECONDS);
    assertThat(metadata.topics().find("orders").errorCode()).isZero();
    assertThat(metadata.topics().find("orders").partitions())
        .as("the auto-creation came after CreateTopics and found its topic")
        .hasSize(3);
  }
}
