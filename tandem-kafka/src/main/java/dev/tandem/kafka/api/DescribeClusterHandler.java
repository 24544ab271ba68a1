package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.EndpointType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * DescribeCluster (KIP-700; endpoint types KIP-919; fenced brokers KIP-1073): this one broker, the
 * cluster id and this broker as the controller. Asked for controller endpoints it answers
 * MISMATCHED_ENDPOINT_TYPE as a Kafka broker does (INVALID_REQUEST at v0); the broker is never
 * fenced. Without an authorizer every cluster operation is allowed, so the authorized-operations
 * field lists all that apply to the cluster, as Kafka does without one. Stateless.
 */
public final class DescribeClusterHandler implements KafkaApi {
  /** What Kafka's ACLs can grant on the cluster resource. */
  private static final Set<AclOperation> CLUSTER_OPERATIONS =
      Set.of(
          AclOperation.CREATE,
          AclOperation.CLUSTER_ACTION,
          AclOperation.DESCRIBE_CONFIGS,
          AclOperation.ALTER_CONFIGS,
          AclOperation.IDEMPOTENT_WRITE,
          AclOperation.ALTER,
          AclOperation.DESCRIBE);

  private final KafkaNode kafka;

  public DescribeClusterHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.DESCRIBE_CLUSTER;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    DescribeClusterRequestData data = request.data();
    EndpointType wanted = EndpointType.fromId(data.endpointType());
    if (wanted != EndpointType.BROKER) {
      boolean unknown = wanted == EndpointType.UNKNOWN;
      Errors error;
      if (request.version() == 0) {
        error = Errors.INVALID_REQUEST;
      } else {
        error = unknown ? Errors.UNSUPPORTED_ENDPOINT_TYPE : Errors.MISMATCHED_ENDPOINT_TYPE;
      }
      String message =
          unknown
              ? "Unsupported endpoint type " + data.endpointType()
              : "The request was sent to an endpoint of type BROKER, but we wanted an endpoint"
                  + " of type "
                  + wanted;
      return CompletableFuture.completedFuture(
          new DescribeClusterResponseData().setErrorCode(error.code()).setErrorMessage(message));
    }
    DescribeClusterResponseData response =
        new DescribeClusterResponseData()
            .setEndpointType(EndpointType.BROKER.id())
            .setClusterId(kafka.node().clusterId())
            .setControllerId(kafka.nodeId());
    if (data.includeClusterAuthorizedOperations()) {
      response.setClusterAuthorizedOperations(
          Utils.to32BitField(
              CLUSTER_OPERATIONS.stream().map(AclOperation::code).collect(Collectors.toSet())));
    }
    response
        .brokers()
        .add(
            new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(kafka.nodeId())
                .setHost(kafka.advertisedHost())
                .setPort(kafka.advertisedPort())
                .setRack(null)
                .setIsFenced(false));
    return CompletableFuture.completedFuture(response);
  }
}
