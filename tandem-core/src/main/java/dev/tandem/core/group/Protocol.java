package dev.tandem.core.group;

import java.util.Arrays;

/**
 * One protocol a member supports, in its order of preference, with the member's metadata for it
 * (for Kafka consumers, the assignor name and the serialized subscription). Equal when the names
 * and the metadata bytes are equal.
 *
 * @param name the protocol's name, e.g. {@code range}
 * @param metadata opaque to the coordinator
 */
public record Protocol(String name, byte[] metadata) {
  @Override
  public boolean equals(Object other) {
    return other instanceof Protocol that
        && name.equals(that.name)
        && Arrays.equals(metadata, that.metadata);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(metadata);
  }

  @Override
  public String toString() {
    return "Protocol(" + name + ", " + metadata.length + " bytes)";
  }
}
