package dev.tandem.core.user;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a user may do in one vhost, as RabbitMQ grants it: three regular expressions over the names
 * of exchanges and queues, for configure (declare, delete), write (publish to an exchange, bind to
 * a queue or exchange) and read (consume, get, purge a queue; bind from an exchange). The empty
 * expression matches nothing. Immutable and thread-safe.
 */
public record Permission(Pattern configure, Pattern write, Pattern read) {
  /** Everything, as RabbitMQ grants guest on {@code /}. */
  public static final Permission ALL = of(".*", ".*", ".*");

  /** The kinds of access a method needs. */
  public enum Access {
    CONFIGURE,
    WRITE,
    READ
  }

  /**
   * Compiles the three expressions.
   *
   * @throws IllegalArgumentException when one is not a valid regular expression
   */
  public static Permission of(String configure, String write, String read) {
    return new Permission(compile(configure), compile(write), compile(read));
  }

  /** Whether this access is granted on the named resource (RabbitMQ matches anywhere in it). */
  public boolean allows(Access access, String resource) {
    Pattern pattern =
        switch (access) {
          case CONFIGURE -> configure;
          case WRITE -> write;
          case READ -> read;
        };
    return pattern != null && pattern.matcher(resource).find();
  }

  private static Pattern compile(String expression) {
    if (expression == null || expression.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(expression);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("permission '" + expression + "': " + e.getDescription());
    }
  }
}
