package dev.tandem.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/**
 * The pipeline of one HTTP connection: HTTP/1.1 codec, keep-alive, aggregation of each request
 * (bodies up to {@value #MAX_REQUEST_BYTES} bytes; larger ones get 413), then the {@link
 * HttpRouter}.
 *
 * <p>Sharable and thread-safe: the router is shared, every other handler is made per connection.
 */
@Sharable
public final class HttpChannelInitializer extends ChannelInitializer<Channel> {
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final HttpRouter router;

  public HttpChannelInitializer(HttpRouter router) {
    this.router = router;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel
        .pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpServerKeepAliveHandler())
        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast(router);
  }
}
