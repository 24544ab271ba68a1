package dev.tandem.core.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The users a client may authenticate as. For now the one built-in user of RabbitMQ's default
 * configuration, {@code guest} with password {@code guest}, which may connect from the loopback
 * interface only; durable users and permissions come later. Immutable and thread-safe.
 */
public final class Users {
  /** The outcome of an authentication attempt. */
  public enum Outcome {
    ACCEPTED,
    /** Unknown user or wrong password. */
    REFUSED,
    /** Right credentials, but this user may only connect from the loopback interface. */
    LOOPBACK_ONLY
  }

  private record User(byte[] password, boolean loopbackOnly) {}

  private final Map<String, User> users;

  private Users(Map<String, User> users) {
    this.users = users;
  }

  /** RabbitMQ's default: guest/guest, from loopback only. */
  public static Users defaults() {
    return new Users(Map.of("guest", new User(utf8("guest"), true)));
  }

  /** Checks a user name and password from a client that connected over loopback or not. */
  public Outcome authenticate(String name, String password, boolean fromLoopback) {
    User user = users.get(name);
    if (user == null || !MessageDigest.isEqual(user.password(), utf8(password))) {
      return Outcome.REFUSED;
    }
    return user.loopbackOnly() && !fromLoopback ? Outcome.LOOPBACK_ONLY : Outcome.ACCEPTED;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
