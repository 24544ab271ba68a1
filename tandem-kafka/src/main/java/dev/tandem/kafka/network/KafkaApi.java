package dev.tandem.kafka.network;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The handler of one Kafka API key: decodes nothing itself (the request arrives parsed), calls
 * core, and returns the response message. Domain rules live in core, not here.
 *
 * <p>Handlers are shared by every connection and must be thread-safe. They run on the connection's
 * event loop and must not block: anything that waits (an fsync, a long poll, a rebalance) returns
 * an incomplete future.
 */
public interface KafkaApi {
  ApiKeys key();

  /** Oldest version served; by default what Kafka 4.4 brokers accept. */
  default short oldestVersion() {
    return key().oldestVersion();
  }

  /** Newest version served; by default what Kafka 4.4 brokers accept. */
  default short latestVersion() {
    return key().latestVersion();
  }

  /**
   * Handles one request. The future's value is the response data, or null when the request gets no
   * response (Produce with acks=0).
   */
  CompletableFuture<ApiMessage> handle(KafkaRequest request);
}
