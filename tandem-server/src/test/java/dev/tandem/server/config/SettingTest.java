package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.Durability;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SettingTest {

  @Property
  void shouldAcceptEveryPortInRange(@ForAll @IntRange(min = 0, max = 65535) int port)
      throws ConfigException {
    assertThat(Setting.KAFKA_PORT.parse(String.valueOf(port))).isEqualTo(port);
  }

  @Property
  void shouldRejectEveryPortOutOfRange(@ForAll int port) {
    Assume.that(port < 0 || port > 65535);
    assertThatThrownBy(() -> Setting.AMQP_PORT.parse(String.valueOf(port)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("amqp.port: '" + port + "' is not a port number (0 to 65535)");
  }

  @Property
  void shouldKeepEveryMessageOnOneLine(@ForAll String raw) {
    for (Setting setting : Setting.values()) {
      try {
        setting.parse(raw);
      } catch (ConfigException e) {
        assertThat(e.getMessage()).startsWith(setting.key() + ": ").doesNotContain("\n", "\r");
      }
    }
  }

  @Test
  void shouldRejectNonNumericPort() {
    assertThatThrownBy(() -> Setting.KAFKA_PORT.parse("abc"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("kafka.port: 'abc' is not a port number");
  }

  @Test
  void shouldParseDurabilityInLowerCase() throws ConfigException {
    assertThat(Setting.LOG_DURABILITY.parse("fsync")).isEqualTo(Durability.FSYNC);
    assertThat(Setting.LOG_DURABILITY.parse("interval")).isEqualTo(Durability.INTERVAL);
    assertThat(Setting.LOG_DURABILITY.parse("never")).isEqualTo(Durability.NEVER);
  }

  @Test
  void shouldRejectUnknownDurability() {
    assertThatThrownBy(() -> Setting.LOG_DURABILITY.parse("sometimes"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("log.durability: 'sometimes' is not one of fsync, interval, never");
  }

  @Test
  void shouldRejectSegmentBytesBelowMinimum() {
    assertThatThrownBy(() -> Setting.LOG_SEGMENT_BYTES.parse("1023"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("log.segment.bytes: '1023' is out of range (1024 to 2147483647 bytes)");
  }

  @Test
  void shouldRejectNonNumericRetention() {
    assertThatThrownBy(() -> Setting.LOG_RETENTION_MS.parse("7d"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("log.retention.ms: '7d' is not a whole number of ms");
  }

  @Test
  void shouldRejectZeroFlushInterval() {
    assertThatThrownBy(() -> Setting.LOG_FLUSH_INTERVAL_MS.parse("0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("log.flush.interval.ms: '0' is out of range");
  }

  @Test
  void shouldRejectEmptyDataDir() {
    assertThatThrownBy(() -> Setting.DATA_DIR.parse(""))
        .isInstanceOf(ConfigException.class)
        .hasMessage("data.dir: the path is empty");
  }

  @Test
  void shouldRejectHostWithSpaces() {
    assertThatThrownBy(() -> Setting.ADVERTISED_HOST.parse("my host"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("advertised.host: 'my host' is not a host name or address");
  }

  @Test
  void shouldEscapeControlCharactersInMessages() {
    assertThatThrownBy(() -> Setting.HTTP_PORT.parse("80\n80"))
        .hasMessage("http.port: '80\\u000a80' is not a port number");
  }

  @Test
  void shouldDeriveFlagFromKey() {
    assertThat(Setting.LOG_FLUSH_INTERVAL_MS.flag()).isEqualTo("--log-flush-interval-ms");
    assertThat(Setting.forKey("advertised.host")).contains(Setting.ADVERTISED_HOST);
    assertThat(Setting.forKey("advertised-host")).isEmpty();
  }

  @Test
  void shouldDocumentEverySettingOnOneLine() {
    assertThat(Arrays.stream(Setting.values()).map(Setting::key)).doesNotHaveDuplicates();
    for (Setting setting : Setting.values()) {
      assertThat(setting.doc()).as(setting.key()).isNotBlank().doesNotContain("\n").endsWith(".");
    }
  }
}
