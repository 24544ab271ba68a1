package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.ShutdownSignalException;
import dev.tandem.amqp.codec.ChannelMethod;
import dev.tandem.amqp.codec.ConnectionMethod;
import dev.tandem.amqp.codec.FieldTable;
import dev.tandem.amqp.codec.FrameDescriptor;
import dev.tandem.amqp.codec.QueueMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection class (§1.4.2), framing (§4.2) and heartbeats (§4.2.7) against real clients. */
class AmqpConnectionTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldCompleteHandshakeAndAnnounceOnlyImplementedCapabilities() throws Exception {
    try (Connection connection = broker.connect()) {
      Map<String, Object> properties = connection.getServerProperties();
      assertThat(properties.get("product").toString()).isEqualTo("Tandem");
      Map<String, Object> capabilities = (Map<String, Object>) properties.get("capabilities");
      assertThat(capabilities)
          .containsEntry("publisher_confirms", true)
          .containsEntry("exchange_exchange_bindings", true)
          .containsEntry("basic.nack", true)
          .containsEntry("consumer_cancel_notify", true)
          .containsEntry("authentication_failure_close", true)
          .containsEntry("per_consumer_qos", true)
          .containsEntry("connection.blocked", true)
          .containsEntry("direct_reply_to", true);
      assertThat(connection.getFrameMax()).isEqualTo(131_072);
      assertThat(connection.getChannelMax()).isEqualTo(2047);
      assertThat(connection.getHeartbeat()).isEqualTo(60);
      assertThat(connection.createChannel().isOpen()).isTrue();
    }
    assertThat(broker.metrics().connectionsOpened()).isEqualTo(1);
  }

  @Test
  void shouldRefuseWrongPasswordWithAccessRefused() {
    ConnectionFactory factory = broker.factory();
    factory.setPassword("wrong");

    assertThatThrownBy(factory::newConnection)
        .isInstanceOf(AuthenticationFailureException.class)
        .hasMessageContaining("ACCESS_REFUSED");
    assertThat(broker.metrics().authenticationFailures()).isEqualTo(1);
  }

  @Test
  void shouldRefuseUnknownVhostWithNotAllowed() {
    ConnectionFactory factory = broker.factory();
    factory.setVirtualHost("no-such-vhost");

    assertThatThrownBy(factory::newConnection)
        .rootCause()
        .isInstanceOf(ShutdownSignalException.class)
        .hasMessageContaining("reply-code=530")
        .hasMessageContaining("vhost no-such-vhost not found");
  }

  @Test
  void shouldAnswerUnsupportedProtocolHeaderWithSupportedOneAndClose() throws Exception {
    try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
      client.sendBytes("AMQP\u0000\u0000\u0009\u0000".getBytes(StandardCharsets.ISO_8859_1));

      assertThat(client.readBytes(8))
          .isEqualTo("AMQP\u0000\u0000\u0009\u0001".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(client.isClosedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseConnectionWithFrameErrorWhenFrameExceedsFrameMaxAndSpareOthers()
      throws Exception {
    try (Connection other = broker.connect()) {
      Channel channel = other.createChannel();
      channel.queueDeclare("survivor", false, false, false, null);
      try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
        client.handshake(0, 0);
        // Only the frame header and a few bytes: the server refuses the frame on its header.
        client.sendBytes(new byte[] {1, 0, 1, 0, 2, 0, 1, 0, 10, 0, 10});

        ConnectionMethod.Close close = (ConnectionMethod.Close) client.readMethod();
        assertThat(close.replyCode()).isEqualTo(501);
        assertThat(client.isClosedByServer()).isTrue();
      }
      channel.basicPublish("", "survivor", null, "still here".getBytes(StandardCharsets.UTF_8));
      GetResponse response = channel.basicGet("survivor", true);
      assertThat(new String(response.getBody(), StandardCharsets.UTF_8)).isEqualTo("still here");
    }
  }

  @Test
  void shouldSendHeartbeatsAndCloseAfterTwoMissedIntervals() throws Exception {
    try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
      client.handshake(0, 1);
      long start = System.nanoTime();

      RawAmqpClient.Frame heartbeat = client.read();
      assertThat(heartbeat.type()).isEqualTo(FrameDescriptor.TYPE_HEARTBEAT);
      assertThat(heartbeat.channel()).isZero();
      assertThat(client.isClosedByServer()).isTrue();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsedMillis).isBetween(1_500L, 4_500L);
    }
    assertThat(broker.metrics().heartbeatTimeouts()).isEqualTo(1);
  }

  @Test
  void shouldKeepIdleConnectionWithHeartbeatsAlive() throws Exception {
    ConnectionFactory factory = broker.factory();
    factory.setRequestedHeartbeat(1);
    try (Connection connection = factory.newConnection()) {
      Thread.sleep(3_000);
      assertThat(connection.isOpen()).isTrue();
      assertThat(connection.createChannel().isOpen()).isTrue();
    }
  }

  @Test
  void shouldCloseConnectionWithNotAllowedBeyondChannelMax() throws Exception {
    try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
      client.handshake(1, 0);
      client.send(1, new ChannelMethod.Open(""));
      assertThat(client.readMethod()).isInstanceOf(ChannelMethod.OpenOk.class);

      client.send(2, new ChannelMethod.Open(""));

      ConnectionMethod.Close close = (ConnectionMethod.Close) client.readMethod();
      assertThat(close.replyCode()).isEqualTo(530);
      client.send(0, ConnectionMethod.CloseOk.INSTANCE);
      assertThat(client.isClosedByServer()).isTrue();
    }
  }

  @Test
  void shouldCloseConnectionWithChannelErrorForMethodOnUnopenedChannel() throws Exception {
    try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
      client.handshake(0, 0);

      client.send(
          5, new QueueMethod.Declare(0, "q", false, false, false, false, false, FieldTable.EMPTY));

      ConnectionMethod.Close close = (ConnectionMethod.Close) client.readMethod();
      assertThat(close.replyCode()).isEqualTo(504);
      assertThat(close.failingClassId()).isEqualTo(QueueMethod.CLASS_ID);
    }
  }

  @Test
  void shouldCloseConnectionWithUnexpectedFrameForContentWithoutPublish() throws Exception {
    try (RawAmqpClient client = new RawAmqpClient(broker.port())) {
      client.handshake(0, 0);
      client.send(1, new ChannelMethod.Open(""));
      client.readMethod();

      client.sendFrame(FrameDescriptor.TYPE_BODY, 1, new byte[] {1, 2, 3});

      ConnectionMethod.Close close = (ConnectionMethod.Close) client.readMethod();
      assertThat(close.replyCode()).isEqualTo(505);
    }
  }

  @Test
  void shouldCloseChannelOnClientRequestAndLetItsNumberBeReused() throws Exception {
    try (Connection connection = broker.connect()) {
      Channel first = connection.createChannel(7);
      first.close();
      Channel again = connection.createChannel(7);
      assertThat(again.isOpen()).isTrue();
      assertThat(connection.getServerProperties().get("version")).isInstanceOf(LongString.class);
    }
  }
}
