package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId for idempotent producers: a fresh producer id at epoch 0, or, when the producer
 * presents its id and epoch (KIP-360), the same id at the next epoch. Transactional ids are
 * refused: transactions are not implemented.
 */
public final class InitProducerIdHandler implements KafkaApi {
  private final KafkaNode kafka;

  public InitProducerIdHandler(KafkaNode kafka) {
    this.kafka = kafka;
  }

  @Override
  public ApiKeys key() {
    return ApiKeys.INIT_PRODUCER_ID;
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    InitProducerIdRequestData data = request.data();
    InitProducerIdResponseData response = new InitProducerIdResponseData();
    if (data.transactionalId() != null) {
      response
          .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
          .setProducerId(-1)
          .setProducerEpoch((short) -1);
    } else if (data.producerId() >= 0
        && data.producerEpoch() >= 0
        && data.producerEpoch() < Short.MAX_VALUE - 1) {
      response
          .setProducerId(data.producerId())
          .setProducerEpoch((short) (data.producerEpoch() + 1));
    } else {
      response.setProducerId(kafka.node().producerIds().next()).setProducerEpoch((short) 0);
    }
    return CompletableFuture.completedFuture(response);
  }
}
