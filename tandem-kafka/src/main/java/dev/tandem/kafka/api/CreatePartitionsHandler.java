package dev.tandem.kafka.api;

import dev.tandem.core.topic.Topic;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * CreatePartitions (KIP-195): raises a topic's partition count; lowering it or keeping it is
 * INVALID_PARTITIONS. A manual assignment must name one list per added partition, each holding
 * exactly this broker (every partition has one replica); anything else is
 * INVALID_REPLICA_ASSIGNMENT, with the messages of Kafka's controller. validateOnly only checks.
 * Nothing is throttled, so v3's THROTTLING_QUOTA_EXCEEDED never occurs. Stateless.
 */
public final class CreatePartitionsHandler implements KafkaApi {
  private final KafkaNode kafka;

  public CreatePartitionsHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.CREATE_PARTITIONS;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    CreatePartitionsRequestData data = request.data();
    Set<String> seen = new HashSet<>();
    Set<String> duplicates = new HashSet<>();
    for (CreatePartitionsTopic topic : data.topics()) {
      if (!seen.add(topic.name())) {
        duplicates.add(topic.name());
      }
    }
    CreatePartitionsResponseData response = new CreatePartitionsResponseData();
    for (CreatePartitionsTopic topic : data.topics()) {
      ApiError error =
          duplicates.contains(topic.name())
              ? new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name.")
              : grow(topic, data.validateOnly());
      response
          .results()
          .add(
              new CreatePartitionsTopicResult()
                  .setName(topic.name())
                  .setErrorCode(error.error().code())
                  .setErrorMessage(error.message()));
    }
    return CompletableFuture.completedFuture(response);
  }

  private ApiError grow(CreatePartitionsTopic wanted, boolean validateOnly) {
    try {
      Topics topics = kafka.node().topics();
      Topic topic = topics.checkPartitionIncrease(wanted.name(), wanted.count());
      if (wanted.assignments() != null) {
        checkAssignments(wanted.assignments(), wanted.count() - topic.partitions().size());
      }
      if (!validateOnly) {
        topics.addPartitions(wanted.name(), wanted.count());
      }
      return ApiError.NONE;
    } catch (RuntimeException e) {
      return ConfigAlteration.error(e);
    }
  }

  private void checkAssignments(List<CreatePartitionsAssignment> assignments, int added) {
    if (assignments.size() != added) {
      throw new InvalidReplicaAssignmentException(
          "Attempted to add "
              + added
              + " additional partition(s), but only "
              + assignments.size()
              + " assignment(s) were specified.");
    }
    for (CreatePartitionsAssignment assignment : assignments) {
      List<Integer> brokers = assignment.brokerIds();
      if (brokers.isEmpty()) {
        throw new InvalidReplicaAssignmentException(
            "The manual partition assignment includes an empty replica list.");
      }
      for (int broker : brokers) {
        if (broker != kafka.nodeId()) {
          throw new InvalidReplicaAssignmentException(
              "The manual partition assignment includes broker "
                  + broker
                  + ", but no such broker is registered.");
        }
      }
      if (brokers.size() != 1) {
        throw new InvalidReplicaAssignmentException(
            "The manual partition assignment includes the broker "
                + kafka.nodeId()
                + " more than once.");
      }
    }
  }
}
