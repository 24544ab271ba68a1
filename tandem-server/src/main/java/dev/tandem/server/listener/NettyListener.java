package dev.tandem.server.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A {@link Listener} for any protocol that Netty serves: a server socket on the shared {@link
 * EventLoops} whose accepted connections get the protocol's pipeline from {@code
 * channelInitializer}. A protocol module plugs in by handing over that initializer, such as {@code
 * new NettyListener(Protocol.KAFKA, address, loops, kafkaProtocol.channelInitializer())}.
 *
 * <p>{@link #start()} and {@link #close()} run on the broker's lifecycle thread; connections run on
 * the event loops. Every accepted connection is tracked so that {@code close()} can close it.
 */
public final class NettyListener implements Listener {
  private final Protocol protocol;
  private final InetSocketAddress bindAddress;
  private final EventLoops loops;
  private final ChannelHandler channelInitializer;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  public NettyListener(
      Protocol protocol,
      InetSocketAddress bindAddress,
      EventLoops loops,
      ChannelHandler channelInitializer) {
    this.protocol = protocol;
    this.bindAddress = bindAddress;
    this.loops = loops;
    this.channelInitializer = channelInitializer;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public InetSocketAddress start() throws IOException {
    ServerBootstrap bootstrap =
        loops
            .serverBootstrap()
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channels.add(channel);
                    channel.pipeline().addLast(channelInitializer);
                  }
                });
    ChannelFuture bound = bootstrap.bind(bindAddress).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw bindFailure(bound.cause());
    }
    channels.add(bound.channel());
    return (InetSocketAddress) bound.channel().localAddress();
  }

  /**
   * The failure as an IOException whose message is the system's reason alone ("Address already in
   * use"), as NIO words it; epoll's native errors prefix it with the call and errno.
   */
  private static IOException bindFailure(Throwable cause) {
    if (cause instanceof Errors.NativeIoException) {
      String reason = cause.getMessage().replaceFirst("^\\S+ failed with error\\(-?\\d+\\): ", "");
      IOException failure = new BindException(reason);
      failure.initCause(cause);
      return failure;
    }
    return cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
  }

  @Override
  public void close() {
    channels.close().awaitUninterruptibly();
  }
}
