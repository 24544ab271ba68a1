package dev.tandem.kafka;

import dev.tandem.core.Node;
import dev.tandem.core.group.GroupConfig;
import dev.tandem.core.topic.Topics;
import dev.tandem.kafka.api.KafkaNode;
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

/** A real Kafka listener on a free loopback port over a real data directory, for tests. */
final class KafkaTestBroker implements AutoCloseable {
  /**
   * Kafka's group defaults, but no initial rebalance delay and sessions from 1 s, as tests want.
   */
  static final GroupConfig GROUPS =
      GroupConfig.DEFAULTS.withInitialRebalanceDelayMs(0).withSessionTimeoutRange(1_000, 1_800_000);

  private final Path dataDir;
  private final LogConfig logConfig;
  private LogDirectory directory;
  private EventLoopGroup loops;
  private Channel server;
  private int port;

  KafkaTestBroker(Path dataDir, LogConfig logConfig) {
    this.dataDir = dataDir;
    this.logConfig = logConfig;
  }

  KafkaTestBroker start() throws IOException, InterruptedException {
    directory = LogDirectory.open(dataDir);
    Node node = Node.open(directory, new Topics.TopicDefaults(logConfig, 1, true), GROUPS);
    loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    KafkaNode kafka = new KafkaNode(node, 1, "127.0.0.1", port);
    server =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new KafkaProtocol(kafka, KafkaProtocol.DEFAULT_MAX_REQUEST_BYTES)
                    .channelInitializer())
            .bind(new InetSocketAddress("127.0.0.1", port))
            .sync()
            .channel();
    if (port == 0) {
      port = ((InetSocketAddress) server.localAddress()).getPort();
      server.close().sync();
      loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
      directory.close();
      return start();
    }
    return this;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** Stops and starts again on the same port and data directory. */
  KafkaTestBroker restart() throws IOException, InterruptedException {
    close();
    return start();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (server != null) {
      server.close().sync();
      loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
      directory.close();
      server = null;
    }
  }
}
