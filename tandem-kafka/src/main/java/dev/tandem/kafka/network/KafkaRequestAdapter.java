package dev.tandem.kafka.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each request frame, dispatches it to its {@link KafkaApi} and writes the responses in
 * request order, as Kafka clients require, even when a later request completes first.
 *
 * <p>What cannot be answered closes the connection, as Kafka brokers do: an unknown API key, an
 * unsupported version of anything but ApiVersions (which is answered with UNSUPPORTED_VERSION and
 * the supported list, KIP-511), or a body that does not parse. Other connections carry on.
 *
 * <p>One instance per channel; every method runs on the channel's event loop.
 */
public final class KafkaRequestAdapter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestAdapter.class);

  private final KafkaApis apis;
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  /** A request awaiting its response, with the versions its response is written at. */
  private record InFlight(
      RequestHeader header,
      AbstractRequest request,
      CompletableFuture<ApiMessage> response,
      short headerVersion,
      short version) {
    InFlight(
        RequestHeader header, AbstractRequest request, CompletableFuture<ApiMessage> response) {
      this(
          header,
          request,
          response,
          header.apiKey().responseHeaderVersion(header.apiVersion()),
          header.apiVersion());
    }
  }

  public KafkaRequestAdapter(KafkaApis apis) {
    this.apis = apis;
  }

  @Override
  /**
   * Handles a request straight from the frame's buffer, without copying it: the request is parsed
   * and its handler called before the frame is released. That is safe because the only fields the
   * generated request classes leave in the buffer are record batches, and Produce writes those to
   * its log inside the handler call.
   */
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      onRequest(ctx, frame.nioBuffer());
    } finally {
      frame.release();
    }
  }

  private void onRequest(ChannelHandlerContext ctx, ByteBuffer buffer) {
    RequestHeader header;
    try {
      header = RequestHeader.parse(buffer);
    } catch (RuntimeException e) {
      close(ctx, "unreadable request header: " + e.getMessage());
      return;
    }
    KafkaApi api = apis.api(header.apiKey());
    if (api == null) {
      close(ctx, "API " + header.apiKey() + " is not supported");
      return;
    }
    short version = header.apiVersion();
    if (version < api.oldestVersion() || version > api.latestVersion()) {
      if (header.apiKey() == ApiKeys.API_VERSIONS) {
        writeUnsupportedApiVersions(ctx, header);
      } else {
        close(ctx, header.apiKey() + " v" + version + " is not supported");
      }
      return;
    }
    AbstractRequest request;
    try {
      request =
          AbstractRequest.parseRequest(header.apiKey(), version, new ByteBufferAccessor(buffer))
              .request;
    } catch (RuntimeException e) {
      close(ctx, "malformed " + header.apiKey() + " v" + version + ": " + e.getMessage());
      return;
    }
    CompletableFuture<ApiMessage> response;
    try {
      response = api.handle(new KafkaRequest(header, request, ctx.channel().remoteAddress()));
    } catch (RuntimeException e) {
      LOG.warn("{} v{} failed", header.apiKey(), version, e);
      response = CompletableFuture.failedFuture(e);
    }
    inFlight.add(new InFlight(header, request, response));
    if (response.isDone()) {
      drain(ctx);
    } else {
      response.whenComplete((r, e) -> ctx.executor().execute(() -> drain(ctx)));
    }
  }

  private void drain(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!inFlight.isEmpty() && inFlight.peekFirst().response().isDone()) {
      InFlight done = inFlight.pollFirst();
      ApiMessage body;
      try {
        body = done.response().join();
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        LOG.warn("{} failed: {}", done.header().apiKey(), cause.toString());
        body = done.request().getErrorResponse(cause).data();
      }
      if (body != null && ctx.channel().isActive()) {
        for (Object part :
            ResponseWriter.write(
                ctx.alloc(),
                done.header().correlationId(),
                done.headerVersion(),
                done.version(),
                body)) {
          ctx.write(part);
        }
        wrote = true;
      }
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private void writeUnsupportedApiVersions(ChannelHandlerContext ctx, RequestHeader header) {
    ApiVersionsResponseData body =
        new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
    apis.advertised().forEach(v -> body.apiKeys().add(v.duplicate()));
    inFlight.add(
        new InFlight(header, null, CompletableFuture.completedFuture(body), (short) 0, (short) 0));
    drain(ctx);
  }

  private void close(ChannelHandlerContext ctx, String why) {
    LOG.info("closing Kafka connection from {}: {}", ctx.channel().remoteAddress(), why);
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      LOG.debug(
          "Kafka connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn(
          "closing Kafka connection from {} after an unexpected error",
          ctx.channel().remoteAddress(),
          cause);
    }
    ctx.close();
  }
}
