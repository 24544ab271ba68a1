package dev.tandem.server.cli;

import dev.tandem.server.config.ConfigException;
import dev.tandem.server.config.Setting;
import dev.tandem.server.config.ValueType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code tandem} command line: {@code --config FILE}, {@code --help}, {@code --version} and one
 * flag per {@link Setting}, built from that table so a new setting needs no change here. Flag
 * values stay text until {@link Invocation#config()} parses them with the config file, so a bad
 * value reads the same whichever way it was given.
 *
 * <p>Stateless and thread-safe; each call builds its own picocli model.
 */
public final class TandemCommand {
  private static final String CONFIG = "--config";

  private TandemCommand() {}

  /**
   * Parses {@code args}. Prints help or the version to {@code out} when asked and then returns
   * empty.
   *
   * @throws ConfigException for an unknown flag, a missing value or a stray argument
   */
  public static Optional<Invocation> parse(String[] args, PrintWriter out) throws ConfigException {
    CommandLine commandLine = new CommandLine(spec());
    commandLine.setOut(out);
    ParseResult result;
    try {
      result = commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw new ConfigException(oneLine(e.getMessage()) + " (see tandem --help)", e);
    }
    if (CommandLine.printHelpIfRequested(result)) {
      out.flush();
      return Optional.empty();
    }
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String value = result.matchedOptionValue(setting.flag(), null);
      if (value != null) {
        flags.put(setting, value);
      }
    }
    return Optional.of(new Invocation(configFile(result), flags));
  }

  private static Optional<Path> configFile(ParseResult result) throws ConfigException {
    String raw = result.matchedOptionValue(CONFIG, null);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((Path) ValueType.path().parse(raw));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(CONFIG + ": " + e.getMessage(), e);
    }
  }

  private static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("tandem").mixinStandardHelpOptions(true);
    spec.version("tandem " + version());
    spec.usageMessage()
        .sortOptions(false)
        .width(100)
        .description(
            "One message broker for AMQP 0-9-1 and Kafka clients over one log storage engine.")
        .footer(
            "",
            "Each flag --a-b is also the key a.b of a --config file; flags override the file.",
            "A port of 0 picks a free port; the broker prints the ports it bound.");
    spec.addOption(
        OptionSpec.builder(CONFIG)
            .paramLabel("FILE")
            .type(String.class)
            .description("A Java properties file of settings, keyed as below.")
            .build());
    for (Setting setting : Setting.values()) {
      spec.addOption(
          OptionSpec.builder(setting.flag())
              .paramLabel(setting.type().label())
              .type(String.class)
              .description(
                  setting.key() + ": " + setting.doc(), "  Default: " + setting.defaultValue())
              .build());
    }
    return spec;
  }

  private static String version() {
    String version = TandemCommand.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", "; ").strip();
  }
}
