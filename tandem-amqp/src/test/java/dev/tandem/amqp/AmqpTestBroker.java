package dev.tandem.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.tandem.core.Node;
import dev.tandem.core.topic.Topics;
import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real AMQP listener on a free loopback port over a real data directory, for tests with the Java
 * client. {@link #restart()} stops it and starts again on the same port and directory.
 */
public final class AmqpTestBroker implements AutoCloseable {
  private final Path dataDir;
  private final AmqpSettings settings;
  private LogDirectory directory;
  private Node node;
  private AmqpProtocol protocol;
  private EventLoopGroup loops;
  private Channel server;
  private int port;

  public AmqpTestBroker(Path dataDir) {
    this(dataDir, AmqpSettings.DEFAULTS);
  }

  public AmqpTestBroker(Path dataDir, AmqpSettings settings) {
    this.dataDir = dataDir;
    this.settings = settings;
  }

  public AmqpTestBroker start() throws IOException, InterruptedException {
    directory = LogDirectory.open(dataDir);
    node = Node.open(directory, new Topics.TopicDefaults(LogConfig.DEFAULT, 1, true));
    protocol = new AmqpProtocol(node, settings);
    loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childHandler(protocol.channelInitializer())
            .bind(new InetSocketAddress("127.0.0.1", port))
            .sync()
            .channel();
    port = ((InetSocketAddress) server.localAddress()).getPort();
    return this;
  }

  public int port() {
    return port;
  }

  public Node node() {
    return node;
  }

  public AmqpMetrics metrics() {
    return protocol.metrics();
  }

  /** A Java client factory for this broker: guest/guest, no automatic recovery. */
  public ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setConnectionTimeout(5_000);
    return factory;
  }

  public Connection connect() throws IOException, TimeoutException {
    return factory().newConnection();
  }

  /** Stops and starts again on the same port and data directory. */
  public AmqpTestBroker restart() throws IOException, InterruptedException {
    close();
    return start();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (server != null) {
      server.close().sync();
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      node.close();
      directory.close();
      server = null;
    }
  }
}
