package dev.tandem.server.cli;

import dev.tandem.server.config.BrokerConfig;
import dev.tandem.server.config.ConfigException;
import dev.tandem.server.config.Setting;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the command line asked for: an optional config file and the settings given as flags, still
 * as text. Immutable and thread-safe.
 *
 * @param configFile the {@code --config} file, if any
 * @param flags the raw value of each setting given as a flag
 */
public record Invocation(Optional<Path> configFile, Map<Setting, String> flags) {
  public Invocation {
    flags = Map.copyOf(flags);
  }

  /** Defaults, then the config file, then the flags. */
  public BrokerConfig config() throws ConfigException {
    return BrokerConfig.load(configFile, flags);
  }
}
