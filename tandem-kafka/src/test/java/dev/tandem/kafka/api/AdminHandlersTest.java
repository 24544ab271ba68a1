package dev.tandem.kafka.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.Node;
import dev.tandem.core.topic.Partition;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin handlers on what the Java AdminClient cannot send: named config keys, the legacy
 * AlterConfigs, OffsetForLeaderEpoch, odd endpoint types; every version each handler advertises.
 * Requests and responses go through the wire encoding of their version.
 */
class AdminHandlersTest {
  @TempDir Path dataDir;
  private LogDirectory directory;
  private KafkaNode kafka;

  @BeforeEach
  void open() throws Exception {
    directory = LogDirectory.open(dataDir);
    Node node = Node.open(directory, new Topics.TopicDefaults(LogConfig.DEFAULT, 1, false));
    kafka = new KafkaNode(node, 1, "127.0.0.1", 9092);
  }

  @AfterEach
  void close() throws Exception {
    directory.close();
  }

  /** Sends {@code data} at {@code version} through the wire form and returns the response. */
  @SuppressWarnings("unchecked")
  private static <T extends ApiMessage> T call(KafkaApi api, ApiMessage data, int version) {
    short v = (short) version;
    AbstractRequest request =
        AbstractRequest.parseRequest(api.key(), v, MessageUtil.toByteBufferAccessor(data, v))
            .request;
    ApiMessage response =
        api.handle(new KafkaRequest(new RequestHeader(api.key(), v, "test", 7), request, null))
            .join();
    MessageUtil.toByteBufferAccessor(response, v);
    return (T) response;
  }

  private static List<Short> versions(KafkaApi api) {
    List<Short> versions = new ArrayList<>();
    for (short v = api.oldestVersion(); v <= api.latestVersion(); v++) {
      versions.add(v);
    }
    return versions;
  }

  private void append(String topic, int records) {
    Partition partition = kafka.node().topics().topic(topic).orElseThrow().partition(0);
    SimpleRecord[] batch = new SimpleRecord[records];
    Arrays.setAll(batch, i -> new SimpleRecord(("v" + i).getBytes(StandardCharsets.UTF_8)));
    ByteBuffer bytes = MemoryRecords.withRecords(Compression.NONE, batch).buffer();
    partition.append(bytes).join();
  }

  private static DescribeConfigsRequestData describeTopic(String name, List<String> keys) {
    DescribeConfigsRequestData data = new DescribeConfigsRequestData();
    data.resources()
        .add(
            new DescribeConfigsRequestData.DescribeConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id())
                .setResourceName(name)
                .setConfigurationKeys(keys));
    return data;
  }

  @Test
  void shouldListOnlyAskedConfigNamesAndLeaveUnknownOnesOut() {
    kafka.node().topics().create("named", 1, Map.of("retention.ms", "1000"));
    DescribeConfigsHandler handler = new DescribeConfigsHandler(kafka);

    for (short v : versions(handler)) {
      DescribeConfigsResponseData response =
          call(handler, describeTopic("named", List.of("retention.ms", "no.such.key")), v);

      DescribeConfigsResponseData.DescribeConfigsResult result = response.results().get(0);
      assertThat(result.errorCode()).isZero();
      assertThat(result.configs()).hasSize(1);
      assertThat(result.configs().get(0).name()).isEqualTo("retention.ms");
      assertThat(result.configs().get(0).value()).isEqualTo("1000");
      assertThat(result.configs().get(0).synonyms()).isEmpty();
      assertThat(result.configs().get(0).documentation()).isNull();
    }
  }

  @Test
  void shouldAnswerEmptyClusterDefaultAndRefuseOtherBrokerIds() {
    DescribeConfigsHandler handler = new DescribeConfigsHandler(kafka);
    DescribeConfigsRequestData data = new DescribeConfigsRequestData();
    for (String name : List.of("", "2", "one")) {
      data.resources()
          .add(
              new DescribeConfigsRequestData.DescribeConfigsResource()
                  .setResourceType(ConfigResource.Type.BROKER.id())
                  .setResourceName(name));
    }

    DescribeConfigsResponseData response = call(handler, data, 4);

    assertThat(response.results().get(0).errorCode()).isZero();
    assertThat(response.results().get(0).configs()).isEmpty();
    assertThat(response.results().get(1).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    assertThat(response.results().get(2).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
  }

  @Test
  void shouldReplaceEveryOverrideWithLegacyAlterConfigs() {
    kafka.node().topics().create("legacy", 1, Map.of("retention.ms", "1000", "segment.ms", "5000"));
    AlterConfigsHandler handler = new AlterConfigsHandler(kafka);

    for (short v : versions(handler)) {
      AlterConfigsRequestData data = new AlterConfigsRequestData();
      AlterConfigsRequestData.AlterConfigsResource resource =
          new AlterConfigsRequestData.AlterConfigsResource()
              .setResourceType(ConfigResource.Type.TOPIC.id())
              .setResourceName("legacy");
      resource
          .configs()
          .add(
              new AlterConfigsRequestData.AlterableConfig()
                  .setName("retention.bytes")
                  .setValue("5000" + v));
      data.resources().add(resource);

      AlterConfigsResponseData response = call(handler, data, v);

      assertThat(response.responses().get(0).errorCode()).isZero();
      assertThat(kafka.node().topics().topic("legacy").orElseThrow().config().overrides())
          .isEqualTo(Map.of("retention.bytes", "5000" + v));
    }
  }

  @Test
  void shouldRefuseLegacyAlterWithNullValueOrUnknownKey() {
    kafka.node().topics().create("refused", 1, Map.of());
    AlterConfigsHandler handler = new AlterConfigsHandler(kafka);
    AlterConfigsRequestData data = new AlterConfigsRequestData();
    for (String key : List.of("retention.ms", "no.such.key")) {
      AlterConfigsRequestData.AlterConfigsResource resource =
          new AlterConfigsRequestData.AlterConfigsResource()
              .setResourceType(ConfigResource.Type.TOPIC.id())
              .setResourceName(key.equals("retention.ms") ? "refused" : "refused.too");
      resource
          .configs()
          .add(
              new AlterConfigsRequestData.AlterableConfig()
                  .setName(key)
                  .setValue(key.equals("retention.ms") ? null : "1"));
      data.resources().add(resource);
    }

    AlterConfigsResponseData response = call(handler, data, 2);

    assertThat(response.responses().get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    assertThat(response.responses().get(1).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
    assertThat(response.responses().get(1).errorMessage()).contains("no.such.key");
  }

  @Test
  void shouldAppendAndSubtractOnlyOnListConfigs() {
    kafka.node().topics().create("listed", 1, Map.of());
    IncrementalAlterConfigsHandler handler = new IncrementalAlterConfigsHandler(kafka);

    assertThat(alterOne(handler, "cleanup.policy", "delete", 2)).isEqualTo(Errors.NONE);
    assertThat(alterOne(handler, "cleanup.policy", "compact", 2)).isEqualTo(Errors.INVALID_CONFIG);
    assertThat(alterOne(handler, "segment.ms", "100", 2)).isEqualTo(Errors.INVALID_CONFIG);
    assertThat(alterOne(handler, "segment.ms", null, 1)).isEqualTo(Errors.NONE);
    assertThat(kafka.node().topics().topic("listed").orElseThrow().config().overrides())
        .isEqualTo(Map.of("cleanup.policy", "delete"));
  }

  private static Errors alterOne(
      IncrementalAlterConfigsHandler handler, String key, String value, int op) {
    IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
    IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
        new IncrementalAlterConfigsRequestData.AlterConfigsResource()
            .setResourceType(ConfigResource.Type.TOPIC.id())
            .setResourceName("listed");
    resource
        .configs()
        .add(
            new IncrementalAlterConfigsRequestData.AlterableConfig()
                .setName(key)
                .setValue(value)
                .setConfigOperation((byte) op));
    data.resources().add(resource);
    IncrementalAlterConfigsResponseData response = call(handler, data, 1);
    return Errors.forCode(response.responses().get(0).errorCode());
  }

  private static OffsetForLeaderEpochRequestData epochRequest(int current, int epoch) {
    OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData();
    OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
        new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("epochs");
    topic
        .partitions()
        .add(
            new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                .setPartition(0)
                .setCurrentLeaderEpoch(current)
                .setLeaderEpoch(epoch));
    data.topics().add(topic);
    return data;
  }

  private static EpochEndOffset epoch(OffsetForLeaderEpochHandler handler, int current, int epoch) {
    OffsetForLeaderEpochResponseData response =
        call(handler, epochRequest(current, epoch), handler.latestVersion());
    return response.topics().iterator().next().partitions().get(0);
  }

  @Test
  void shouldEndEpochZeroAtHighWatermarkAndFenceOtherCurrentEpochs() {
    kafka.node().topics().create("epochs", 1, Map.of());
    append("epochs", 3);
    OffsetForLeaderEpochHandler handler = new OffsetForLeaderEpochHandler(kafka);

    for (short v : versions(handler)) {
      OffsetForLeaderEpochResponseData response = call(handler, epochRequest(0, 0), v);
      EpochEndOffset end = response.topics().iterator().next().partitions().get(0);
      assertThat(end.errorCode()).isZero();
      assertThat(end.leaderEpoch()).isZero();
      assertThat(end.endOffset()).isEqualTo(3);
    }
    assertThat(epoch(handler, -1, 0).endOffset()).isEqualTo(3);
    assertThat(epoch(handler, 0, 5).endOffset()).isEqualTo(-1);
    assertThat(epoch(handler, 0, 5).leaderEpoch()).isEqualTo(-1);
    assertThat(epoch(handler, 1, 0).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
    assertThat(epoch(handler, -2, 0).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
  }

  @Test
  void shouldDeleteRecordsUpToHighWatermarkForMinusOne() {
    kafka.node().topics().create("purged", 1, Map.of());
    append("purged", 4);
    DeleteRecordsHandler handler = new DeleteRecordsHandler(kafka);
    DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(1000);
    DeleteRecordsRequestData.DeleteRecordsTopic topic =
        new DeleteRecordsRequestData.DeleteRecordsTopic().setName("purged");
    topic
        .partitions()
        .add(
            new DeleteRecordsRequestData.DeleteRecordsPartition()
                .setPartitionIndex(0)
                .setOffset(-1));
    topic
        .partitions()
        .add(
            new DeleteRecordsRequestData.DeleteRecordsPartition()
                .setPartitionIndex(1)
                .setOffset(0));
    data.topics().add(topic);

    DeleteRecordsResponseData response = call(handler, data, 2);

    var partitions = response.topics().find("purged").partitions();
    assertThat(partitions.find(0).lowWatermark()).isEqualTo(4);
    assertThat(partitions.find(1).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    assertThat(partitions.find(1).lowWatermark()).isEqualTo(-1);
  }

  @Test
  void shouldRefuseControllerEndpointsAsABrokerDoes() {
    DescribeClusterHandler handler = new DescribeClusterHandler(kafka);

    for (short v : versions(handler)) {
      DescribeClusterResponseData response =
          call(
              handler,
              new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true),
              v);
      assertThat(response.errorCode()).isZero();
      assertThat(response.controllerId()).isEqualTo(1);
      assertThat(response.brokers()).hasSize(1);
      assertThat(response.clusterAuthorizedOperations()).isPositive();
    }
    DescribeClusterResponseData controllers =
        call(handler, new DescribeClusterRequestData().setEndpointType((byte) 2), 1);
    assertThat(controllers.errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
    DescribeClusterResponseData unknown =
        call(handler, new DescribeClusterRequestData().setEndpointType((byte) 9), 2);
    assertThat(unknown.errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
  }
}
