package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator: this node coordinates every group. Versions 0-3 ask for one key, 4+ for a batch
 * (KIP-699). Transactions are not implemented, so a transaction coordinator is refused with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the refusal InitProducerId and Produce give a
 * transactional id: a transactional producer fails at once with a clear error instead of retrying
 * until it times out. Share-group coordinators (KIP-932) are refused as INVALID_REQUEST.
 */
public final class FindCoordinatorHandler implements KafkaApi {
  private final KafkaNode kafka;

  public FindCoordinatorHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.FIND_COORDINATOR;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    FindCoordinatorRequestData data = request.data();
    FindCoordinatorResponseData response = new FindCoordinatorResponseData();
    if (request.version() >= 4) {
      for (String key : data.coordinatorKeys()) {
        response.coordinators().add(coordinator(key, data.keyType()));
      }
    } else {
      FindCoordinatorResponseData.Coordinator found =
          coordinator(data.key(), request.version() == 0 ? 0 : data.keyType());
      response
          .setErrorCode(found.errorCode())
          .setErrorMessage(request.version() >= 1 ? found.errorMessage() : null)
          .setNodeId(found.nodeId())
          .setHost(found.host())
          .setPort(found.port());
    }
    return CompletableFuture.completedFuture(response);
  }

  private FindCoordinatorResponseData.Coordinator coordinator(String key, byte keyType) {
    FindCoordinatorResponseData.Coordinator coordinator =
        new FindCoordinatorResponseData.Coordinator().setKey(key);
    if (keyType == CoordinatorType.GROUP.id()) {
      return coordinator
          .setNodeId(kafka.nodeId())
          .setHost(kafka.advertisedHost())
          .setPort(kafka.advertisedPort());
    }
    boolean transaction = keyType == CoordinatorType.TRANSACTION.id();
    return coordinator
        .setErrorCode(
            (transaction ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : Errors.INVALID_REQUEST)
                .code())
        .setErrorMessage(
            transaction
                ? "transactions are not supported"
                : "coordinator key type " + keyType + " is not supported")
        .setNodeId(-1)
        .setHost("")
        .setPort(-1);
  }
}
