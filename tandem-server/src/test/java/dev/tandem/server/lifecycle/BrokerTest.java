package dev.tandem.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.server.config.BrokerConfig;
import dev.tandem.server.config.ConfigException;
import dev.tandem.server.config.Setting;
import dev.tandem.server.listener.Protocol;
import dev.tandem.storage.LogDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTest {
  @TempDir Path dir;
  private Broker broker;

  @AfterEach
  void tearDown() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void shouldBindEveryListenerOnFreePortWhenAskedForZero() throws Exception {
    broker = new Broker(config(Map.of()));
    broker.start();

    Map<Protocol, InetSocketAddress> bound = broker.boundAddresses();
    assertThat(bound).containsOnlyKeys(Protocol.HTTP, Protocol.AMQP, Protocol.KAFKA);
    assertThat(bound.get(Protocol.KAFKA).getPort()).isPositive();
    assertThat(bound.get(Protocol.AMQP).getPort()).isPositive();
    int port = bound.get(Protocol.HTTP).getPort();
    assertThat(port).isPositive();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      assertThat(socket.isConnected()).isTrue();
    }
  }

  @Test
  void shouldReportNewDataDirectoryAsNew() throws Exception {
    broker = new Broker(config(Map.of()));
    broker.start();

    assertThat(broker.newDataDir()).isTrue();
    assertThat(broker.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath());
  }

  @Test
  void shouldWriteCleanShutdownMarkerOnStop() throws Exception {
    broker = new Broker(config(Map.of()));
    broker.start();

    assertThat(broker.stop()).isTrue();

    assertThat(dir.resolve("data").resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)).exists();
    Broker again = new Broker(config(Map.of()));
    again.start();
    assertThat(again.newDataDir()).isFalse();
    assertThat(again.wasCleanShutdown()).isTrue();
    again.stop();
  }

  @Test
  void shouldStopListeningOnStop() throws Exception {
    broker = new Broker(config(Map.of()));
    broker.start();
    int port = broker.boundAddresses().get(Protocol.HTTP).getPort();

    broker.stop();

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
  }

  @Test
  void shouldRefuseSecondBrokerOnSameDataDirectory() throws Exception {
    broker = new Broker(config(Map.of()));
    broker.start();

    Broker second = new Broker(config(Map.of()));
    assertThatThrownBy(second::start)
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("data.dir: ")
        .hasMessageContaining("locked");
  }

  @Test
  void shouldReleaseDataDirectoryWhenHttpPortIsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Map<Setting, String> flags = Map.of(Setting.HTTP_PORT, "" + taken.getLocalPort());
      Broker failing = new Broker(config(flags));

      assertThatThrownBy(failing::start)
          .isInstanceOf(StartupException.class)
          .hasMessage(
              "http.port: cannot listen on 0.0.0.0:"
                  + taken.getLocalPort()
                  + ": Address already in use");
      assertThat(failing.stop()).isFalse();
    }
    broker = new Broker(config(Map.of()));
    broker.start();
  }

  @Test
  void shouldReportDataDirectoryThatCannotBeCreated() throws Exception {
    Path file = Files.createFile(dir.resolve("a-file"));
    Broker failing = new Broker(config(Map.of(Setting.DATA_DIR, file.resolve("data").toString())));

    assertThatThrownBy(failing::start)
        .isInstanceOf(StartupException.class)
        .hasMessage(
            "data.dir: cannot create directory " + file.resolve("data") + ": Not a directory");
  }

  private BrokerConfig config(Map<Setting, String> overrides) throws ConfigException {
    Map<Setting, String> flags = new HashMap<>();
    flags.put(Setting.DATA_DIR, dir.resolve("data").toString());
    flags.put(Setting.HTTP_PORT, "0");
    flags.put(Setting.KAFKA_PORT, "0");
    flags.put(Setting.AMQP_PORT, "0");
    flags.putAll(overrides);
    return BrokerConfig.load(Optional.empty(), flags);
  }
}
