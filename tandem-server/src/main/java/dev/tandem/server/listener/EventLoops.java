package dev.tandem.server.listener;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops every listener shares: one thread that accepts connections and a pool
 * (Netty's default size, twice the cores) that owns the accepted sockets. Threads start on first
 * use. Sharing them keeps the thread count fixed however many protocols are served.
 *
 * <p>Thread-safe; {@link #close()} is called once, after every listener has closed.
 */
public final class EventLoops implements AutoCloseable {
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final EventLoopGroup acceptor =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("tandem-accept"), NioIoHandler.newFactory());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(
          0, new DefaultThreadFactory("tandem-io"), NioIoHandler.newFactory());

  /** The group whose single thread accepts connections. */
  public EventLoopGroup acceptor() {
    return acceptor;
  }

  /** The group whose threads own the accepted connections. */
  public EventLoopGroup workers() {
    return workers;
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
