package dev.tandem.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's Admin client on consumer groups, as kafka-consumer-groups.sh uses it. */
class KafkaGroupAdminTest {
  @TempDir Path dataDir;
  private KafkaTestBroker broker;
  private Admin admin;
  private KafkaConsumer<String, String> consumer;

  @BeforeEach
  void start() throws Exception {
    broker = new KafkaTestBroker(dataDir, LogConfig.DEFAULT).start();
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()));
    admin.createTopics(List.of(new NewTopic("watched", 3, (short) 1))).all().get();
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrap());
    props.put("group.id", "watchers");
    props.put("client.id", "watcher-1");
    props.put("enable.auto.commit", "false");
    props.put("heartbeat.interval.ms", "100");
    props.put("session.timeout.ms", "3000");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.of("watched"));
    long deadline = System.currentTimeMillis() + 15_000;
    while (consumer.assignment().size() < 3 && System.currentTimeMillis() < deadline) {
      consumer.poll(Duration.ofMillis(100));
    }
    consumer.commitSync(Map.of(new TopicPartition("watched", 1), new OffsetAndMetadata(0)));
  }

  @AfterEach
  void stop() throws Exception {
    consumer.close();
    admin.close();
    broker.close();
  }

  @Test
  @SuppressWarnings("removal") // listConsumerGroups, still what older tools call
  void shouldListConsumerGroupsWithTheirStates() throws Exception {
    consumer.commitSync(Map.of(new TopicPartition("watched", 0), new OffsetAndMetadata(0)));
    admin
        .alterConsumerGroupOffsets(
            "offsets-only", Map.of(new TopicPartition("watched", 2), new OffsetAndMetadata(0)))
        .all()
        .get();

    List<GroupListing> listed =
        List.copyOf(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get());
    assertThat(listed)
        .extracting(
            GroupListing::groupId, g -> g.groupState().orElseThrow(), GroupListing::protocol)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("watchers", GroupState.STABLE, "consumer"),
            org.assertj.core.groups.Tuple.tuple("offsets-only", GroupState.EMPTY, ""));
    assertThat(listed.get(0).type()).contains(GroupType.CLASSIC);
    assertThat(admin.listConsumerGroups().all().get())
        .extracting(ConsumerGroupListing::groupId)
        .containsExactlyInAnyOrder("watchers", "offsets-only");
    assertThat(
            admin
                .listGroups(
                    ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.EMPTY)))
                .all()
                .get())
        .extracting(GroupListing::groupId)
        .containsExactly("offsets-only");
  }

  @Test
  void shouldDescribeMembersAndTheirAssignments() throws Exception {
    ConsumerGroupDescription group =
        admin.describeConsumerGroups(List.of("watchers")).all().get().get("watchers");

    assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
    assertThat(group.type()).isEqualTo(GroupType.CLASSIC);
    assertThat(group.partitionAssignor()).isEqualTo("range");
    assertThat(group.coordinator().port())
        .isEqualTo(Integer.parseInt(broker.bootstrap().split(":")[1]));
    MemberDescription member = group.members().iterator().next();
    assertThat(member.clientId()).isEqualTo("watcher-1");
    assertThat(member.host()).isEqualTo("/127.0.0.1");
    assertThat(member.consumerId()).startsWith("watcher-1-");
    assertThat(member.assignment().topicPartitions())
        .containsExactlyInAnyOrder(
            new TopicPartition("watched", 0),
            new TopicPartition("watched", 1),
            new TopicPartition("watched", 2));
    assertThatThrownBy(() -> admin.describeConsumerGroups(List.of("nobody")).all().get())
        .hasCauseInstanceOf(GroupIdNotFoundException.class);
  }

  @Test
  void shouldFetchCommittedOffsetsOfAGroup() throws Exception {
    consumer.commitSync(
        Map.of(new TopicPartition("watched", 2), new OffsetAndMetadata(0, "checkpoint")));

    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets("watchers").partitionsToOffsetAndMetadata().get();

    assertThat(offsets)
        .containsOnlyKeys(new TopicPartition("watched", 1), new TopicPartition("watched", 2));
    assertThat(offsets.get(new TopicPartition("watched", 2)).metadata()).isEqualTo("checkpoint");
  }

  @Test
  void shouldDeleteAConsumerGroupOnlyOnceItHasNoMembers() throws Exception {
    assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("watchers")).all().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(GroupNotEmptyException.class);
    assertThatThrownBy(
            () ->
                admin
                    .deleteConsumerGroupOffsets(
                        "watchers", Set.of(new TopicPartition("watched", 1)))
                    .all()
                    .get())
        .hasMessageContaining("subscribed");

    consumer.close();
    admin.deleteConsumerGroups(List.of("watchers")).all().get();

    assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()).isEmpty();
    assertThat(admin.listConsumerGroupOffsets("watchers").partitionsToOffsetAndMetadata().get())
        .isEmpty();
  }
}
