package dev.tandem.kafka.network;

import java.net.SocketAddress;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One decoded request as a handler sees it.
 *
 * @param header the request header (api key, version, correlation id, client id)
 * @param request the parsed request, which can also build an error response for any failure
 * @param clientAddress the peer's address
 */
public record KafkaRequest(
    RequestHeader header, AbstractRequest request, SocketAddress clientAddress) {
  public ApiKeys apiKey() {
    return header.apiKey();
  }

  public short version() {
    return header.apiVersion();
  }

  /** The request's generated message, e.g. {@code ProduceRequestData}. */
  @SuppressWarnings("unchecked")
  public <T extends ApiMessage> T data() {
    return (T) request.data();
  }

  public String clientId() {
    return header.clientId();
  }
}
