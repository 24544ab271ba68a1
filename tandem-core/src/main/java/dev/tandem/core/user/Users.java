package dev.tandem.core.user;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The users a client may authenticate as, and what each may do per vhost. By default RabbitMQ's:
 * {@code guest} with password {@code guest}, every permission on {@code /}, connecting from the
 * loopback interface only. Imported definitions replace them (see {@link Builder}); as in RabbitMQ,
 * a user named {@code guest} may connect from loopback only. Users may also hold {@link
 * TopicPermissions} per vhost. Immutable and thread-safe.
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

  /** The user RabbitMQ lets connect from loopback only (its default loopback_users). */
  public static final String GUEST = "guest";

  private final Map<String, PasswordHash> passwords;
  private final Map<String, Map<String, Permission>> permissions;
  // user -> vhost -> exchange -> grant
  private final Map<String, Map<String, Map<String, TopicPermissions.Grant>>> topicGrants;

  private Users(Builder builder) {
    this.passwords = Map.copyOf(builder.passwords);
    Map<String, Map<String, Permission>> copy = new HashMap<>();
    builder.permissions.forEach((user, vhosts) -> copy.put(user, Map.copyOf(vhosts)));
    this.permissions = Map.copyOf(copy);
    Map<String, Map<String, Map<String, TopicPermissions.Grant>>> topics = new HashMap<>();
    builder.topicGrants.forEach(
        (user, vhosts) -> {
          Map<String, Map<String, TopicPermissions.Grant>> perVhost = new HashMap<>();
          vhosts.forEach((vhost, grants) -> perVhost.put(vhost, Map.copyOf(grants)));
          topics.put(user, Map.copyOf(perVhost));
        });
    this.topicGrants = Map.copyOf(topics);
  }

  /** RabbitMQ's default: guest/guest, every permission on {@code /}, from loopback only. */
  public static Users defaults() {
    return builder()
        .user(GUEST, PasswordHash.of("guest"))
        .permit(GUEST, "/", Permission.ALL)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Checks a user name and password from a client that connected over loopback or not. */
  public Outcome authenticate(String name, String password, boolean fromLoopback) {
    PasswordHash hash = passwords.get(name);
    if (hash == null || !hash.matches(password)) {
      return Outcome.REFUSED;
    }
    return name.equals(GUEST) && !fromLoopback ? Outcome.LOOPBACK_ONLY : Outcome.ACCEPTED;
  }

  /** What the user may do in the vhost; empty when it may not use the vhost at all. */
  public Optional<Permission> permission(String user, String vhost) {
    return Optional.ofNullable(permissions.getOrDefault(user, Map.of()).get(vhost));
  }

  /** The user's topic permissions in the vhost, {@link TopicPermissions#NONE} if it has none. */
  public TopicPermissions topicPermissions(String user, String vhost) {
    return TopicPermissions.of(
        topicGrants.getOrDefault(user, Map.of()).getOrDefault(vhost, Map.of()), user, vhost);
  }

  /** Collects users and their permissions. Not thread-safe. */
  public static final class Builder {
    private final Map<String, PasswordHash> passwords = new HashMap<>();
    private final Map<String, Map<String, Permission>> permissions = new HashMap<>();
    private final Map<String, Map<String, Map<String, TopicPermissions.Grant>>> topicGrants =
        new HashMap<>();

    public Builder user(String name, PasswordHash password) {
      passwords.put(name, password);
      return this;
    }

    /** Grants a user a permission in a vhost, replacing any it had there. */
    public Builder permit(String user, String vhost, Permission permission) {
      permissions.computeIfAbsent(user, u -> new HashMap<>()).put(vhost, permission);
      return this;
    }

    /** Grants a user topic permissions on one topic exchange of a vhost, replacing any. */
    public Builder permitTopic(
        String user, String vhost, String exchange, TopicPermissions.Grant grant) {
      topicGrants
          .computeIfAbsent(user, u -> new HashMap<>())
          .computeIfAbsent(vhost, v -> new HashMap<>())
          .put(exchange, grant);
      return this;
    }

    public Users build() {
      return new Users(this);
    }
  }
}
