package dev.tandem.server.listener;

import dev.tandem.server.config.Setting;
import java.util.Locale;

/**
 * The protocols the broker serves, in the order the start-up line lists them, each with the setting
 * that names its port. Immutable.
 */
public enum Protocol {
  HTTP(Setting.HTTP_PORT),
  AMQP(Setting.AMQP_PORT),
  KAFKA(Setting.KAFKA_PORT);

  private final Setting port;

  Protocol(Setting port) {
    this.port = port;
  }

  /** The setting that names this protocol's port. */
  public Setting portSetting() {
    return port;
  }

  /** The lower-case name used in messages, such as {@code kafka}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
