package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.LogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {
  @TempDir Path dir;

  @Test
  void shouldUseDefaultsWhenNothingIsGiven() throws Exception {
    BrokerConfig config = BrokerConfig.load(Optional.empty(), Map.of());

    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.amqpPort()).isEqualTo(5672);
    assertThat(config.kafkaPort()).isEqualTo(9092);
    assertThat(config.httpPort()).isEqualTo(15672);
    assertThat(config.advertisedHost()).isEqualTo("localhost");
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.logConfig()).isEqualTo(LogConfig.DEFAULT);
  }

  @Test
  void shouldParseTheDefaultOfEverySetting() {
    BrokerConfig defaults = BrokerConfig.defaults();

    for (Setting setting : Setting.values()) {
      assertThat(defaults.value(setting)).as(setting.key()).isNotNull();
    }
  }

  @Test
  void shouldReadEverySettingFromConfigFile() throws Exception {
    Path file =
        write(
            "data.dir=/var/lib/tandem",
            "amqp.port=5673",
            "kafka.port=9093",
            "http.port=0",
            "bind.address=127.0.0.1",
            "advertised.host=broker.example",
            "log.durability=interval",
            "log.segment.bytes=1048576",
            "log.retention.ms=-1",
            "log.retention.bytes=1000000",
            "log.flush.interval.ms=250");

    BrokerConfig config = BrokerConfig.load(Optional.of(file), Map.of());

    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tandem"));
    assertThat(config.amqpPort()).isEqualTo(5673);
    assertThat(config.kafkaPort()).isEqualTo(9093);
    assertThat(config.httpPort()).isZero();
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.advertisedHost()).isEqualTo("broker.example");
    LogConfig log = config.logConfig();
    assertThat(log.durability()).isEqualTo(Durability.INTERVAL);
    assertThat(log.segmentBytes()).isEqualTo(1048576);
    assertThat(log.retentionMs()).isEqualTo(-1);
    assertThat(log.retentionBytes()).isEqualTo(1000000);
    assertThat(log.flushIntervalMs()).isEqualTo(250);
  }

  @Test
  void shouldLetFlagsOverrideConfigFile() throws Exception {
    Path file = write("kafka.port=9093", "http.port=8080");

    BrokerConfig config = BrokerConfig.load(Optional.of(file), Map.of(Setting.KAFKA_PORT, "19092"));

    assertThat(config.kafkaPort()).isEqualTo(19092);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.amqpPort()).isEqualTo(5672);
  }

  @Test
  void shouldIgnoreSurroundingWhitespaceAndComments() throws Exception {
    Path file = write("# ports", "  kafka.port = 9093  ", "! another comment");

    assertThat(BrokerConfig.load(Optional.of(file), Map.of()).kafkaPort()).isEqualTo(9093);
  }

  @Test
  void shouldRejectUnknownConfigKey() throws Exception {
    Path file = write("kafka.port=9093", "kafka.prot=9094");

    assertThatThrownBy(() -> BrokerConfig.load(Optional.of(file), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown setting 'kafka.prot' in " + file + " (see tandem --help)");
  }

  @Test
  void shouldRejectMissingConfigFile() {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> BrokerConfig.load(Optional.of(missing), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + " does not exist");
  }

  @Test
  void shouldRejectBadValueInConfigFileNamingItsKey() throws Exception {
    Path file = write("kafka.port=abc");

    assertThatThrownBy(() -> BrokerConfig.load(Optional.of(file), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("kafka.port: 'abc' is not a port number");
  }

  @Test
  void shouldRejectBadFlagValueEvenWhenConfigFileIsFine() throws Exception {
    Path file = write("http.port=8080");

    assertThatThrownBy(
            () -> BrokerConfig.load(Optional.of(file), Map.of(Setting.HTTP_PORT, "65536")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port: '65536' is not a port number (0 to 65535)");
  }

  @Test
  void shouldTakeMemoryWatermarkAsFractionOfHeap() throws Exception {
    assertThat(
            BrokerConfig.load(Optional.empty(), Map.of(Setting.MEMORY_HIGH_WATERMARK, "0.4"))
                .memoryHighWatermark())
        .isEqualTo(0.4);
    assertThatThrownBy(
            () -> BrokerConfig.load(Optional.empty(), Map.of(Setting.MEMORY_HIGH_WATERMARK, "1.5")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("memory.high.watermark: '1.5' is out of range (0 to 1)");
    assertThatThrownBy(
            () -> BrokerConfig.load(Optional.empty(), Map.of(Setting.MEMORY_HIGH_WATERMARK, "40%")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("memory.high.watermark: '40%' is not a number from 0 to 1");
  }

  @Test
  void shouldRejectTwoListenersOnOnePort() {
    Map<Setting, String> flags = Map.of(Setting.HTTP_PORT, "5672");

    assertThatThrownBy(() -> BrokerConfig.load(Optional.empty(), flags))
        .isInstanceOf(ConfigException.class)
        .hasMessage("amqp.port: port 5672 is also http.port");
  }

  @Test
  void shouldAllowPortZeroForEveryListener() throws Exception {
    Map<Setting, String> flags =
        Map.of(Setting.HTTP_PORT, "0", Setting.AMQP_PORT, "0", Setting.KAFKA_PORT, "0");

    BrokerConfig config = BrokerConfig.load(Optional.empty(), flags);

    assertThat(config.httpPort()).isZero();
    assertThat(config.amqpPort()).isZero();
    assertThat(config.kafkaPort()).isZero();
  }

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("tandem.properties");
    Files.write(file, java.util.List.of(lines), StandardCharsets.UTF_8);
    return file;
  }
}
