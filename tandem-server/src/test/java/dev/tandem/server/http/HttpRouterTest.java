package dev.tandem.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the real HTTP pipeline with raw request bytes and reads the raw response. */
class HttpRouterTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    new JvmMemoryMetrics().bindTo(registry);
    channel = new EmbeddedChannel();
    channel.pipeline().addLast(new HttpChannelInitializer(new HttpRouter(registry)));
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
    registry.close();
  }

  @Test
  void shouldAnswerHealthWithOk() {
    String response = exchange("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("content-type: application/json\r\n")
        .contains("content-length: 15\r\n")
        .endsWith("\r\n\r\n{\"status\":\"ok\"}");
  }

  @Test
  void shouldServeJvmMetricsInPrometheusFormat() {
    String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n")
        .contains("# TYPE jvm_memory_used_bytes gauge")
        .contains("jvm_memory_used_bytes{");
  }

  @Test
  void shouldIgnoreQueryString() {
    assertThat(exchange("GET /api/health?verbose=1 HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void shouldAnswerNotFoundForUnknownPath() {
    assertThat(exchange("GET /api/overview HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 404 Not Found\r\n");
  }

  @Test
  void shouldRefuseOtherMethodsOnKnownPaths() {
    String response =
        exchange("POST /api/health HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\n\r\n{}");

    assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("allow: GET");
  }

  @Test
  void shouldKeepConnectionOpenBetweenRequests() {
    assertThat(exchange("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")).contains(" 200 ");
    assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")).contains(" 200 ");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void shouldAnswerRequestFedOneByteAtATime() {
    byte[] request =
        "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    for (byte b : request) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }

    assertThat(readResponse()).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void shouldCloseConnectionAfterRequestThatDoesNotParse() {
    String response = exchange("GET /api/health HTTP/1.1\r\nthis is not a header\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  private String exchange(String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    return readResponse();
  }

  private String readResponse() {
    StringBuilder response = new StringBuilder();
    ByteBuf chunk;
    while ((chunk = channel.readOutbound()) != null) {
      response.append(chunk.toString(StandardCharsets.UTF_8));
      chunk.release();
    }
    return response.toString();
  }
}
