package dev.tandem.server.config;

/**
 * A setting that cannot be used. The message is one line meant for the user as it stands, such as
 * {@code kafka.port: 'abc' is not a port number}; it names the setting first.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
