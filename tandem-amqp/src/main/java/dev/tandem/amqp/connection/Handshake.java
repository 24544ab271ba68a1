package dev.tandem.amqp.connection;

import dev.tandem.amqp.codec.AmqpFrameDecoder;
import dev.tandem.amqp.codec.ConnectionMethod;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.LongString;
import dev.tandem.core.user.Permission;
import dev.tandem.core.user.TopicPermissions;
import dev.tandem.core.user.Users;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the connection handshake (§1.4.2) needs beyond the connection's state: the connection.start
 * it sends, the authentication of a login, and applying the tuned values to the pipeline. Shared by
 * every connection of a listener; immutable and thread-safe.
 *
 * <p>Heartbeats (§4.2.7): once tuned to a non-zero interval, an {@link IdleStateHandler} at the
 * head of the pipeline sends a heartbeat after half an interval without writes, and closes the
 * connection after two intervals without reads.
 */
public final class Handshake {
  /** The name of the heartbeat handler in the pipeline. */
  public static final String HEARTBEATS = "heartbeats";

  private final Users users;
  private final FieldTable serverProperties = ServerProperties.table();

  public Handshake(Users users) {
    this.users = users;
  }

  /** connection.start: AMQP 0-9, the server properties and mechanisms, locale en_US. */
  ConnectionMethod.Start start() {
    return new ConnectionMethod.Start(
        0, 9, serverProperties, LongString.of(Credentials.MECHANISMS), LongString.of("en_US"));
  }

  /** Returns null when the login is accepted, else why it was refused (for the log). */
  String authenticate(Credentials credentials, SocketAddress remote) {
    boolean loopback =
        !(remote instanceof InetSocketAddress inet)
            || (inet.getAddress() != null && inet.getAddress().isLoopbackAddress());
    return switch (users.authenticate(credentials.user(), credentials.password(), loopback)) {
      case ACCEPTED -> null;
      case LOOPBACK_ONLY -> "user '" + credentials.user() + "' can only connect via localhost";
      case REFUSED -> "user '" + credentials.user() + "' - invalid credentials";
    };
  }

  /** What the user may do in the vhost; empty when it may not open it. */
  Optional<Permission> permission(String user, String vhost) {
    return users.permission(user, vhost);
  }

  /** The user's topic permissions in the vhost. */
  TopicPermissions topicPermissions(String user, String vhost) {
    return users.topicPermissions(user, vhost);
  }

  /** Applies the negotiated frame-max to the decoder and starts heartbeats. */
  void apply(ChannelPipeline pipeline, Tuning tuning) {
    pipeline.get(AmqpFrameDecoder.class).frameMax(tuning.frameMax());
    int heartbeat = tuning.heartbeatSeconds();
    if (heartbeat > 0) {
      // First in the pipeline, so that every byte read counts, even of a frame still arriving.
      pipeline.addFirst(
          HEARTBEATS,
          new IdleStateHandler(2_000L * heartbeat, 500L * heartbeat, 0, TimeUnit.MILLISECONDS));
    }
  }
}
