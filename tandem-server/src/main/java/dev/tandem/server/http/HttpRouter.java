package dev.tandem.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the broker's HTTP requests:
 *
 * <ul>
 *   <li>{@code GET /api/health} → 200 {@code {"status":"ok"}} while the broker is up;
 *   <li>{@code GET /metrics} → 200, the Prometheus text exposition format (0.0.4) of the broker's
 *       meter registry;
 *   <li>another method on those paths → 405 with {@code Allow: GET};
 *   <li>any other path → 404; a request that does not parse → 400 and the connection closes.
 * </ul>
 *
 * <p>Sharable and thread-safe: it keeps no per-connection state and runs on each connection's event
 * loop. A scrape reads the registry's meters on that loop; it is short and allocates only the text.
 */
@Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String HEALTH_PATH = "/api/health";
  static final String METRICS_PATH = "/metrics";
  static final String JSON = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);

  private final PrometheusMeterRegistry registry;

  public HttpRouter(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      FullHttpResponse response = response(HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n");
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(route(request));
  }

  private FullHttpResponse route(FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    boolean known = HEALTH_PATH.equals(path) || METRICS_PATH.equals(path);
    if (!known) {
      return response(HttpResponseStatus.NOT_FOUND, TEXT, "not found\n");
    }
    if (!HttpMethod.GET.equals(request.method())) {
      FullHttpResponse response =
          response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "method not allowed\n");
      response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
      return response;
    }
    if (HEALTH_PATH.equals(path)) {
      return response(HttpResponseStatus.OK, JSON, "{\"status\":\"ok\"}");
    }
    return response(HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape());
  }

  private static FullHttpResponse response(
      HttpResponseStatus status, String contentType, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    HttpUtil.setContentLength(response, content.readableBytes());
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
