package dev.tandem.core.topic;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What is stored of a topic in the broker's definitions: its id, partition count and config
 * overrides, as Java properties text under the key {@code topic/NAME}.
 *
 * <pre>
 *   id=5b0c...
 *   partitions=3
 *   config.retention.ms=3600000
 * </pre>
 *
 * @param name the topic's name
 * @param id its id
 * @param partitions its partition count
 * @param config its config overrides
 */
record TopicDefinition(String name, UUID id, int partitions, TopicConfig config) {
  static final String KEY_PREFIX = "topic/";

  String key() {
    return KEY_PREFIX + name;
  }

  byte[] encode() {
    Properties properties = new Properties();
    properties.setProperty("id", id.toString());
    properties.setProperty("partitions", Integer.toString(partitions));
    config.overrides().forEach((k, v) -> properties.setProperty("config." + k, v));
    StringWriter writer = new StringWriter();
    try {
      properties.store(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toString().getBytes(StandardCharsets.UTF_8);
  }

  static TopicDefinition decode(String key, byte[] bytes) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> overrides = new TreeMap<>();
    for (String property : properties.stringPropertyNames()) {
      if (property.startsWith("config.")) {
        overrides.put(property.substring("config.".length()), properties.getProperty(property));
      }
    }
    return new TopicDefinition(
        key.substring(KEY_PREFIX.length()),
        UUID.fromString(properties.getProperty("id")),
        Integer.parseInt(properties.getProperty("partitions")),
        new TopicConfig(overrides));
  }
}
