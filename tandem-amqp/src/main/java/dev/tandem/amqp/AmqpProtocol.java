package dev.tandem.amqp;

import dev.tandem.amqp.channel.DeadLetterProperties;
import dev.tandem.amqp.channel.DirectReplies;
import dev.tandem.amqp.channel.RecordProperties;
import dev.tandem.amqp.codec.AmqpFrameDecoder;
import dev.tandem.amqp.connection.AmqpConnection;
import dev.tandem.amqp.connection.Handshake;
import dev.tandem.core.Node;
import dev.tandem.core.alarm.Alarms;
import dev.tandem.core.user.Users;
import dev.tandem.core.vhost.Vhosts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AMQP 0-9-1 as the server plugs it into a listener: the pipeline of each accepted connection
 * ({@link AmqpFrameDecoder}, then an {@link AmqpConnection}, with heartbeats added between them
 * once tuned), over the node's vhosts. Thread-safe.
 */
public final class AmqpProtocol {
  /** Socket write buffer marks: above the high one consumers pause until it drains below low. */
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(128 * 1024, 512 * 1024);

  private final Vhosts vhosts;
  private final Alarms alarms;
  private final DirectReplies directReplies = new DirectReplies();
  private final AmqpSettings settings;
  private final Handshake handshake;
  private final AmqpMetrics metrics = new AmqpMetrics();
  private final AtomicLong connections = new AtomicLong();

  public AmqpProtocol(Node node, AmqpSettings settings) {
    this(node.vhosts(), Users.defaults(), node.alarms(), settings);
  }

  public AmqpProtocol(Vhosts vhosts, Users users, Alarms alarms, AmqpSettings settings) {
    this.vhosts = vhosts;
    this.alarms = alarms;
    vhosts.rewriteDeadLettersWith(new DeadLetterProperties());
    vhosts.mapRecordsWith(new RecordProperties());
    this.settings = settings;
    this.handshake = new Handshake(users);
  }

  public AmqpSettings settings() {
    return settings;
  }

  public AmqpMetrics metrics() {
    return metrics;
  }

  public ChannelInitializer<Channel> channelInitializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.config().setWriteBufferWaterMark(WATER_MARK);
        String id = "amqp-" + connections.incrementAndGet();
        channel
            .pipeline()
            .addLast("frames", new AmqpFrameDecoder())
            .addLast(
                "connection",
                new AmqpConnection(
                    vhosts, handshake, alarms, directReplies, settings, metrics, id));
      }
    };
  }
}
