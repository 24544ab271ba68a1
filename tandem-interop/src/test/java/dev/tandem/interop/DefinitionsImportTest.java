package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import dev.tandem.server.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, vhosts and permissions imported from a definitions file that RabbitMQ 4 exported ({@code
 * rabbitmqctl export_definitions}; user {@code appuser}, password {@code s3cret!}, may configure
 * and read {@code app.*} and write {@code app.*} and the default exchange in vhost {@code app}),
 * used by the Java client as against RabbitMQ: logins, vhost access (530) and resource permissions
 * (403, RabbitMQ's "access control" guide).
 */
class DefinitionsImportTest {
  @TempDir static Path dir;
  private static InProcessBroker broker;

  @BeforeAll
  static void start() throws Exception {
    Path definitions = dir.resolve("definitions.json");
    try (InputStream in =
        DefinitionsImportTest.class.getResourceAsStream("/rabbitmq-definitions.json")) {
      Files.copy(in, definitions);
    }
    broker =
        new InProcessBroker(
                dir.resolve("data"), Map.of(Setting.LOAD_DEFINITIONS, definitions.toString()))
            .start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Connection connect(String user, String password, String vhost) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(broker.amqpPort());
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setVirtualHost(vhost);
    factory.setAutomaticRecoveryEnabled(false);
    return factory.newConnection();
  }

  private static void assertRefused(ThrowingCallable call, String text) {
    assertThatThrownBy(call)
        .isInstanceOf(IOException.class)
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              assertThat(e.isHardError()).isFalse();
              AMQP.Channel.Close close = (AMQP.Channel.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(403);
              assertThat(close.getReplyText()).contains(text);
            });
  }

  @Test
  void shouldLogInWithPasswordsHashedByRabbitMqAndRefuseWrongOnes() throws Exception {
    try (Connection app = connect("appuser", "s3cret!", "app");
        Connection guest = connect("guest", "guest", "/")) {
      assertThat(app.isOpen()).isTrue();
      assertThat(guest.isOpen()).isTrue();
    }
    assertThatThrownBy(() -> connect("appuser", "guest", "app"))
        .isInstanceOf(AuthenticationFailureException.class);
  }

  @Test
  void shouldRefuseVhostWithoutPermissionWith530() {
    assertThatThrownBy(() -> connect("appuser", "s3cret!", "/"))
        .hasStackTraceContaining("NOT_ALLOWED - access to vhost '/' refused for user 'appuser'");
    assertThatThrownBy(() -> connect("guest", "guest", "app"))
        .hasStackTraceContaining("access to vhost 'app' refused for user 'guest'");
  }

  @Test
  void shouldKeepVhostsApart() throws Exception {
    try (Connection app = connect("appuser", "s3cret!", "app");
        Connection guest = connect("guest", "guest", "/")) {
      Channel inApp = app.createChannel();
      inApp.queueDeclare("app.shared-name", true, false, false, null);
      inApp.basicPublish("", "app.shared-name", null, "in app".getBytes(StandardCharsets.UTF_8));
      Channel inRoot = guest.createChannel();
      inRoot.queueDeclare("app.shared-name", true, false, false, null);

      assertThat(inRoot.queueDeclarePassive("app.shared-name").getMessageCount()).isZero();
      GetResponse got = inApp.basicGet("app.shared-name", true);
      assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("in app");
    }
  }

  @Test
  void shouldEnforceConfigureWriteAndReadPermissionsWith403() throws Exception {
    try (Connection app = connect("appuser", "s3cret!", "app")) {
      Channel channel = app.createChannel();
      channel.queueDeclare("app.orders", true, false, false, null);
      channel.exchangeDeclare("app.events", "topic", true);
      channel.queueBind("app.orders", "app.events", "#");
      channel.basicPublish("app.events", "x", null, new byte[] {1});
      channel.basicPublish("", "app.orders", null, new byte[] {2});
      assertThat(channel.basicGet("app.orders", true)).isNotNull();

      assertRefused(
          () -> app.createChannel().queueDeclare("other", true, false, false, null),
          "access to queue 'other' in vhost 'app' refused for user 'appuser'");
      assertRefused(
          () -> app.createChannel().exchangeDelete("amq.topic"),
          "access to exchange 'amq.topic' in vhost 'app' refused");
      assertRefused(
          () -> app.createChannel().queueBind("app.orders", "amq.topic", "#"),
          "access to exchange 'amq.topic' in vhost 'app' refused");
      assertRefused(
          () -> app.createChannel().basicGet("orders", true),
          "access to queue 'orders' in vhost 'app' refused");
      Channel publisher = app.createChannel();
      CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
      publisher.addShutdownListener(closed::complete);
      publisher.basicPublish("amq.fanout", "", null, new byte[] {3});
      AMQP.Channel.Close close = (AMQP.Channel.Close) closed.get(5, TimeUnit.SECONDS).getReason();
      assertThat(close.getReplyCode()).isEqualTo(403);
      assertThat(close.getReplyText())
          .contains("access to exchange 'amq.fanout' in vhost 'app' refused for user 'appuser'");
      assertThat(app.isOpen()).isTrue();
    }
  }
}
