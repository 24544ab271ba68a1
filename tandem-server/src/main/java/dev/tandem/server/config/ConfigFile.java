package dev.tandem.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a {@code --config} file: a Java properties file (UTF-8) whose keys are {@link Setting}
 * keys. An unknown key is an error rather than ignored, so a typo never silently leaves a default
 * in force.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** The raw values set in {@code file}, by setting; values are parsed later, by the caller. */
  public static Map<Setting, String> read(Path file) throws ConfigException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      Setting setting =
          Setting.forKey(key)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "unknown setting '" + key + "' in " + file + " (see tandem --help)"));
      values.put(setting, properties.getProperty(key).strip());
    }
    return values;
  }
}
