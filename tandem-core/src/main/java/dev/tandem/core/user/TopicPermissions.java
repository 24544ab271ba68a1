package dev.tandem.core.user;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's topic permissions in one vhost, as RabbitMQ's topic authorisation applies them on top of
 * the resource permissions: per topic exchange, a write expression over the routing keys the user
 * may publish with and a read expression over the keys it may bind (and unbind) queues and
 * exchanges with. An exchange without a grant, and every exchange that is not a topic exchange, is
 * not restricted. Expressions match anywhere in the key; the empty expression is {@code ^$}; {@code
 * {username}} and {@code {vhost}} in one stand for the user's and the vhost's names, taken
 * literally. Immutable and thread-safe.
 */
public final class TopicPermissions {
  /** No grant at all: nothing is restricted. */
  public static final TopicPermissions NONE = new TopicPermissions(Map.of());

  private final Map<String, Expressions> byExchange;

  private record Expressions(Pattern write, Pattern read) {}

  /**
   * The expressions of one grant, as a definitions file gives them.
   *
   * @throws IllegalArgumentException when one is not a valid regular expression
   */
  public record Grant(String write, String read) {
    public Grant {
      compile(write, "user", "vhost");
      compile(read, "user", "vhost");
    }
  }

  private TopicPermissions(Map<String, Expressions> byExchange) {
    this.byExchange = Map.copyOf(byExchange);
  }

  /** The grants of {@code user} in {@code vhost}, by exchange name, with variables expanded. */
  static TopicPermissions of(Map<String, Grant> grants, String user, String vhost) {
    if (grants.isEmpty()) {
      return NONE;
    }
    Map<String, Expressions> compiled = new HashMap<>();
    grants.forEach(
        (exchange, grant) ->
            compiled.put(
                exchange,
                new Expressions(
                    compile(grant.write(), user, vhost), compile(grant.read(), user, vhost))));
    return new TopicPermissions(compiled);
  }

  public boolean isEmpty() {
    return byExchange.isEmpty();
  }

  /**
   * Whether a publish ({@link Permission.Access#WRITE}) or a binding ({@link
   * Permission.Access#READ}) with this routing key is granted on the topic exchange.
   */
  public boolean allows(Permission.Access access, String exchange, String routingKey) {
    Expressions granted = byExchange.get(exchange);
    if (granted == null) {
      return true;
    }
    Pattern pattern =
        switch (access) {
          case WRITE -> granted.write();
          case READ -> granted.read();
          case CONFIGURE -> throw new IllegalArgumentException("topics have no configure access");
        };
    return pattern.matcher(routingKey).find();
  }

  private static Pattern compile(String expression, String user, String vhost) {
    String expanded =
        (expression.isEmpty() ? "^$" : expression)
            .replace("{username}", Pattern.quote(user))
            .replace("{vhost}", Pattern.quote(vhost));
    try {
      return Pattern.compile(expanded);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "topic permission '" + expression + "': " + e.getDescription());
    }
  }
}
