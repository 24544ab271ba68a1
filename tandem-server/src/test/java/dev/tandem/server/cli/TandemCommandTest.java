package dev.tandem.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.server.config.ConfigException;
import dev.tandem.server.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TandemCommandTest {
  private final StringWriter out = new StringWriter();

  @Test
  void shouldMapEveryFlagToItsSetting() throws ConfigException {
    for (Setting setting : Setting.values()) {
      Invocation invocation = parse(setting.flag(), setting.defaultValue()).orElseThrow();

      assertThat(invocation.flags())
          .as(setting.flag())
          .containsEntry(setting, setting.defaultValue());
    }
  }

  @Test
  void shouldAcceptFlagsInBothSpellings() throws ConfigException {
    Invocation invocation = parse("--http-port=0", "--kafka-port", "19092").orElseThrow();

    assertThat(invocation.flags())
        .containsEntry(Setting.HTTP_PORT, "0")
        .containsEntry(Setting.KAFKA_PORT, "19092")
        .hasSize(2);
  }

  @Test
  void shouldTakeConfigFile() throws ConfigException {
    Invocation invocation = parse("--config", "etc/tandem.properties").orElseThrow();

    assertThat(invocation.configFile()).contains(Path.of("etc/tandem.properties"));
    assertThat(invocation.flags()).isEmpty();
  }

  @Test
  void shouldAcceptNegativeNumberAsFlagValue() throws ConfigException {
    Invocation invocation = parse("--log-retention-ms", "-1").orElseThrow();

    assertThat(invocation.flags()).containsEntry(Setting.LOG_RETENTION_MS, "-1");
  }

  @Test
  void shouldRejectUnknownFlag() {
    assertThatThrownBy(() -> parse("--kafka-prot=9092"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown option: '--kafka-prot=9092'")
        .hasMessageEndingWith("(see tandem --help)")
        .hasMessageNotContaining("\n");
  }

  @Test
  void shouldRejectFlagWithoutValue() {
    assertThatThrownBy(() -> parse("--http-port"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--http-port")
        .hasMessageNotContaining("\n");
  }

  @Test
  void shouldRejectPositionalArgument() {
    assertThatThrownBy(() -> parse("start"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'start'");
  }

  @Test
  void shouldReportBadFlagValueByItsKey() throws ConfigException {
    Invocation invocation = parse("--kafka-port", "abc").orElseThrow();

    assertThatThrownBy(invocation::config)
        .isInstanceOf(ConfigException.class)
        .hasMessage("kafka.port: 'abc' is not a port number");
  }

  @Test
  void shouldPrintHelpListingEverySetting() throws ConfigException {
    assertThat(parse("--help")).isEmpty();

    String help = out.toString();
    assertThat(help).contains("--config=FILE");
    for (Setting setting : Setting.values()) {
      assertThat(help)
          .contains(setting.flag() + "=" + setting.type().label())
          .contains(setting.key() + ":")
          .contains("Default: " + setting.defaultValue());
    }
  }

  @Test
  void shouldPrintVersion() throws ConfigException {
    assertThat(parse("--version")).isEmpty();

    assertThat(out.toString()).startsWith("tandem ");
  }

  private Optional<Invocation> parse(String... args) throws ConfigException {
    return TandemCommand.parse(args, new PrintWriter(out, true));
  }
}
