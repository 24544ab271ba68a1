package dev.tandem.server.config;

import dev.tandem.storage.log.Durability;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How the text of one setting becomes a typed value: the parsing, the range check and the words of
 * the error. Each parse failure is an {@link IllegalArgumentException} whose message describes the
 * bad value only ({@code 'abc' is not a port number}); {@link Setting} prefixes the key.
 *
 * <p>Immutable and thread-safe.
 */
public interface ValueType {

  /** The placeholder shown in {@code --help}, such as {@code PORT}. */
  String label();

  /**
   * The typed value of {@code raw}, or an {@link IllegalArgumentException} saying what is wrong.
   */
  Object parse(String raw);

  /** A TCP port, 0 to 65535; 0 asks the operating system for a free one. */
  static ValueType port() {
    return new ValueType() {
      @Override
      public String label() {
        return "PORT";
      }

      @Override
      public Object parse(String raw) {
        long port = parseLong(raw, "a port number");
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException(quote(raw) + " is not a port number (0 to 65535)");
        }
        return (int) port;
      }
    };
  }

  /** A file system path, kept as given; resolved against the working directory when used. */
  static ValueType path() {
    return new ValueType() {
      @Override
      public String label() {
        return "DIR";
      }

      @Override
      public Object parse(String raw) {
        if (raw.isBlank()) {
          throw new IllegalArgumentException("the path is empty");
        }
        try {
          return Path.of(raw);
        } catch (InvalidPathException e) {
          throw new IllegalArgumentException(quote(raw) + " is not a valid path", e);
        }
      }
    };
  }

  /** A file to read at start, or empty for none: an {@code Optional<Path>}. */
  static ValueType optionalFile() {
    return new ValueType() {
      @Override
      public String label() {
        return "FILE";
      }

      @Override
      public Object parse(String raw) {
        if (raw.isBlank()) {
          return Optional.empty();
        }
        try {
          return Optional.of(Path.of(raw));
        } catch (InvalidPathException e) {
          throw new IllegalArgumentException(quote(raw) + " is not a valid path", e);
        }
      }
    };
  }

  /** A host name or IP address literal; resolved only when used. */
  static ValueType host() {
    return new ValueType() {
      @Override
      public String label() {
        return "HOST";
      }

      @Override
      public Object parse(String raw) {
        if (raw.isEmpty() || !raw.chars().allMatch(c -> c > ' ' && c < 127 && c != '/')) {
          throw new IllegalArgumentException(quote(raw) + " is not a host name or address");
        }
        return raw;
      }
    };
  }

  /** true or false. */
  static ValueType bool() {
    return new ValueType() {
      @Override
      public String label() {
        return "true|false";
      }

      @Override
      public Object parse(String raw) {
        if (raw.equals("true") || raw.equals("false")) {
          return Boolean.valueOf(raw);
        }
        throw new IllegalArgumentException(quote(raw) + " is not true or false");
      }
    };
  }

  /** A whole number from {@code min} to {@code max}, in the given {@code unit} (for messages). */
  static ValueType number(String label, String unit, long min, long max) {
    return new ValueType() {
      @Override
      public String label() {
        return label;
      }

      @Override
      public Object parse(String raw) {
        long value = parseLong(raw, "a whole number of " + unit);
        if (value < min || value > max) {
          throw new IllegalArgumentException(
              quote(raw) + " is out of range (" + min + " to " + max + " " + unit + ")");
        }
        return value;
      }
    };
  }

  /** A fraction from 0 to 1, such as {@code 0.6}. */
  static ValueType fraction() {
    return new ValueType() {
      @Override
      public String label() {
        return "FRACTION";
      }

      @Override
      public Object parse(String raw) {
        double value;
        try {
          value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(quote(raw) + " is not a number from 0 to 1", e);
        }
        if (!(value >= 0 && value <= 1)) {
          throw new IllegalArgumentException(quote(raw) + " is out of range (0 to 1)");
        }
        return value;
      }
    };
  }

  /** One of the storage engine's {@link Durability} policies, named in lower case. */
  static ValueType durability() {
    return new ValueType() {
      @Override
      public String label() {
        return "fsync|interval|never";
      }

      @Override
      public Object parse(String raw) {
        for (Durability d : Durability.values()) {
          if (d.name().toLowerCase(Locale.ROOT).equals(raw)) {
            return d;
          }
        }
        throw new IllegalArgumentException(quote(raw) + " is not one of fsync, interval, never");
      }
    };
  }

  private static long parseLong(String raw, String what) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(quote(raw) + " is not " + what, e);
    }
  }

  /** Quotes a value for a one-line message: control characters escaped, long values cut. */
  private static String quote(String raw) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(raw.length(), 64);
    for (int i = 0; i < shown; i++) {
      char c = raw.charAt(i);
      if (c < ' ' || c == 127) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(raw.length() > shown ? "...'" : "'").toString();
  }
}
