package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.LogDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker as a user meets it: a process, its output, its exit status and its HTTP port. */
class TandemProcessTest {
  private static final Pattern HTTP_PORT = Pattern.compile("http=[0-9.]+:(\\d+)");

  @TempDir Path dir;

  @Test
  void shouldPrintDataDirectoryBoundPortsAndReady() throws Exception {
    try (BrokerProcess broker = start()) {
      assertThat(broker.awaitLine("tandem: data directory "))
          .isEqualTo("tandem: data directory " + dir.resolve("data") + " (new)");
      assertThat(broker.awaitLine("tandem: listening "))
          .matches(
              "tandem: listening http=0\\.0\\.0\\.0:\\d+ amqp=0\\.0\\.0\\.0:\\d+"
                  + " kafka=0\\.0\\.0\\.0:\\d+");
      assertThat(broker.awaitLine("tandem: ready in ")).matches("tandem: ready in \\d+ ms");
    }
  }

  @Test
  void shouldAnswerHealthCheckOverHttp() throws Exception {
    try (BrokerProcess broker = start()) {
      int port = httpPort(broker);
      broker.awaitLine("tandem: ready");

      HttpResponse<String> health = get(port, "/api/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(get(port, "/metrics").body())
          .contains("jvm_memory_used_bytes")
          .contains("tandem_amqp_connections_opened_total")
          .contains("tandem_disk_alarm 0.0")
          .contains("tandem_memory_alarm 0.0")
          .contains("tandem_memory_used_after_gc_bytes");
      assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void shouldStopCleanlyOnSigterm() throws Exception {
    try (BrokerProcess broker = start()) {
      broker.awaitLine("tandem: ready");

      broker.terminate();

      assertThat(broker.awaitExit()).isZero();
      assertThat(broker.awaitLine("tandem: stopped")).isEqualTo("tandem: stopped");
      assertThat(dir.resolve("data").resolve(LogDirectory.CLEAN_SHUTDOWN_FILE)).exists();
    }
    try (BrokerProcess again = start()) {
      assertThat(again.awaitLine("tandem: data directory ")).endsWith(" (clean shutdown: yes)");
    }
  }

  @Test
  void shouldRefuseSecondBrokerOnSameDataDirectory() throws Exception {
    try (BrokerProcess first = start()) {
      first.awaitLine("tandem: ready");

      try (BrokerProcess second = start()) {
        assertThat(second.awaitExit()).isEqualTo(1);
        assertOneErrorLine(second.stderr(), "tandem: error: data.dir: ");
        assertThat(last(second.stderr())).contains(" is locked by another broker, pid ");
      }
    }
  }

  @Test
  void shouldReportHttpPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"));
        BrokerProcess broker = start("--http-port", "" + taken.getLocalPort())) {
      assertThat(broker.awaitExit()).isEqualTo(1);
      assertOneErrorLine(broker.stderr(), "tandem: error: http.port: cannot listen on ");
      assertThat(last(broker.stderr())).endsWith("Address already in use");
    }
  }

  @Test
  void shouldExitWithoutStackTraceOnUnknownFlag() throws Exception {
    try (BrokerProcess broker = start("--no-such-flag")) {
      assertThat(broker.awaitExit()).isEqualTo(2);
      assertOneErrorLine(broker.stderr(), "tandem: error: Unknown option: '--no-such-flag'");
    }
  }

  @Test
  void shouldExitWithoutStackTraceOnBadPort() throws Exception {
    try (BrokerProcess broker = start("--kafka-port", "abc")) {
      assertThat(broker.awaitExit()).isEqualTo(2);
      assertThat(broker.stderr())
          .containsExactly("tandem: error: kafka.port: 'abc' is not a port number");
    }
  }

  @Test
  void shouldExitWithoutStackTraceOnUnknownConfigKey() throws Exception {
    Path file = Files.writeString(dir.resolve("tandem.properties"), "http.prot=1\n");
    try (BrokerProcess broker = start("--config", file.toString())) {
      assertThat(broker.awaitExit()).isEqualTo(2);
      assertOneErrorLine(broker.stderr(), "tandem: error: unknown setting 'http.prot' in ");
    }
  }

  @Test
  void shouldExitWithoutStackTraceOnUncreatableDataDirectory() throws Exception {
    Path file = Files.createFile(dir.resolve("a-file"));
    try (BrokerProcess broker = start("--data-dir", file.resolve("data").toString())) {
      assertThat(broker.awaitExit()).isEqualTo(1);
      assertOneErrorLine(broker.stderr(), "tandem: error: data.dir: cannot create directory ");
    }
  }

  /** Starts a broker on free ports and ./data, unless {@code args} say otherwise. */
  private BrokerProcess start(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    for (String port : List.of("--http-port", "--kafka-port", "--amqp-port")) {
      if (!all.contains(port)) {
        all.addAll(List.of(port, "0"));
      }
    }
    if (!all.contains("--data-dir")) {
      all.addAll(List.of("--data-dir", "data"));
    }
    return BrokerProcess.start(dir, all.toArray(String[]::new));
  }

  private static int httpPort(BrokerProcess broker) throws InterruptedException {
    Matcher matcher = HTTP_PORT.matcher(broker.awaitLine("tandem: listening "));
    assertThat(matcher.find()).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String last(List<String> lines) {
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
  }

  private static void assertOneErrorLine(List<String> stderr, String prefix) {
    assertThat(stderr).filteredOn(line -> line.startsWith("tandem: error:")).hasSize(1);
    assertThat(last(stderr)).startsWith(prefix);
    assertThat(stderr)
        .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception in thread"));
  }
}
