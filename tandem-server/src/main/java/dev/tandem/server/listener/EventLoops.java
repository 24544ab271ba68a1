package dev.tandem.server.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty event loops every listener shares: one thread that accepts connections and a pool
 * (Netty's default size, twice the cores) that owns the accepted sockets. Threads start on first
 * use. Sharing them keeps the thread count fixed however many protocols are served.
 *
 * <p>On Linux the loops use epoll, so that listeners can cap the TCP segment size ({@link
 * #MAX_SEGMENT_BYTES}); elsewhere, or if the native library does not load, Java's NIO.
 *
 * <p>Thread-safe; {@link #close()} is called once, after every listener has closed.
 */
public final class EventLoops implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  /**
   * The largest TCP segment a connection sends or asks its peer to send (TCP_MAXSEG). It matters
   * only where the path allows larger segments, which in practice is loopback (MTU 64 KiB): there a
   * peer whose receive buffer is the common 128 KiB has room for barely one full segment, and once
   * it falls behind, Linux's receiver stops advertising a window smaller than a segment; the sender
   * is left probing every 200 ms, and the connection crawls at one segment per probe for as long as
   * it lasts. Segments of 16 KiB keep several in such a buffer. Networks with ordinary MTUs never
   * see segments this large, so the cap changes nothing there.
   */
  static final int MAX_SEGMENT_BYTES = 16 * 1024;

  private static final IntegerUnixChannelOption TCP_MAXSEG =
      new IntegerUnixChannelOption("TCP_MAXSEG", 6, 2);

  private final boolean epoll = Epoll.isAvailable();
  private final EventLoopGroup acceptor =
      new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tandem-accept"), handler());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("tandem-io"), handler());

  public EventLoops() {
    if (!epoll) {
      LOG.info(
          "epoll is not available ({}); using Java NIO, without the TCP segment cap",
          Epoll.unavailabilityCause().toString());
    }
  }

  private IoHandlerFactory handler() {
    return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** The group whose single thread accepts connections. */
  public EventLoopGroup acceptor() {
    return acceptor;
  }

  /** The group whose threads own the accepted connections. */
  public EventLoopGroup workers() {
    return workers;
  }

  /** A server bootstrap on these loops, with the transport's server channel and socket options. */
  ServerBootstrap serverBootstrap() {
    ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, workers);
    if (epoll) {
      return bootstrap
          .channel(EpollServerSocketChannel.class)
          .option(TCP_MAXSEG, MAX_SEGMENT_BYTES)
          .childOption(TCP_MAXSEG, MAX_SEGMENT_BYTES);
    }
    return bootstrap.channel(NioServerSocketChannel.class);
  }

  /** Stops every thread at once (no quiet period) and waits for them to finish. */
  @Override
  public void close() {
    Future<?> a = acceptor.shutdownGracefully(0, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    Future<?> w = workers.shutdownGracefully(0, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    a.awaitUninterruptibly(CLOSE_TIMEOUT_MS);
    w.awaitUninterruptibly(CLOSE_TIMEOUT_MS);
  }
}
