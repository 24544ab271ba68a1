package dev.tandem.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.user.PasswordHash;
import dev.tandem.core.user.Permission;
import dev.tandem.core.user.TopicPermissions;
import dev.tandem.core.user.Users;
import dev.tandem.core.vhost.Policies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A RabbitMQ definitions file, the JSON that {@code rabbitmqctl export_definitions} and the
 * management UI write and that RabbitMQ imports at boot with {@code load_definitions}: {@code
 * users} (name, password_hash, hashing_algorithm), {@code vhosts} (name) and {@code permissions}
 * (user, vhost, configure, write, read) and {@code topic_permissions} (user, vhost, exchange,
 * write, read), which replace the built-in guest user (vhost {@code /} always exists), and the
 * {@link RabbitTopology} of {@code exchanges}, {@code queues} and {@code bindings}, and the {@code
 * policies} (vhost, name, pattern, apply-to, priority, definition) that apply to those queues. The
 * file's parameters are not imported: {@link #ignored()} names those sections that are not empty.
 * Immutable.
 *
 * @param users the users and their permissions
 * @param vhosts the vhosts to create, in file order
 * @param topology the exchanges, queues and bindings to declare in them
 * @param policies the policies of each vhost, by vhost name
 * @param ignored the non-empty sections not imported, with their sizes
 */
public record RabbitDefinitions(
    Users users,
    List<String> vhosts,
    RabbitTopology topology,
    Map<String, Policies> policies,
    List<String> ignored) {
  private static final List<String> NOT_IMPORTED = List.of("parameters", "global_parameters");

  /**
   * Reads a definitions file.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException saying where the content is wrong
   */
  public static RabbitDefinitions read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object of definitions");
    }
    Users.Builder users = Users.builder();
    Set<String> vhosts = new LinkedHashSet<>();
    for (JsonNode user : array(root, "users")) {
      String name = text(user, "users", "name");
      String hash = text(user, "users", "password_hash");
      try {
        users.user(name, PasswordHash.parse(hash, optionalText(user, "hashing_algorithm")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("user '" + name + "': " + e.getMessage());
      }
    }
    for (JsonNode vhost : array(root, "vhosts")) {
      vhosts.add(text(vhost, "vhosts", "name"));
    }
    for (JsonNode grant : array(root, "permissions")) {
      String user = text(grant, "permissions", "user");
      String vhost = text(grant, "permissions", "vhost");
      try {
        users.permit(
            user,
            vhost,
            Permission.of(
                text(grant, "permissions", "configure"),
                text(grant, "permissions", "write"),
                text(grant, "permissions", "read")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "permissions of '" + user + "' in vhost '" + vhost + "': " + e.getMessage());
      }
    }
    for (JsonNode grant : array(root, "topic_permissions")) {
      String user = text(grant, "topic_permissions", "user");
      String vhost = text(grant, "topic_permissions", "vhost");
      String exchange = text(grant, "topic_permissions", "exchange");
      try {
        users.permitTopic(
            user,
            vhost,
            exchange,
            new TopicPermissions.Grant(
                text(grant, "topic_permissions", "write"),
                text(grant, "topic_permissions", "read")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "topic permissions of '"
                + user
                + "' on exchange '"
                + exchange
                + "' in vhost '"
                + vhost
                + "': "
                + e.getMessage());
      }
    }
    List<String> ignored = new ArrayList<>();
    for (String section : NOT_IMPORTED) {
      JsonNode value = root.get(section);
      if (value != null && value.size() > 0) {
        ignored.add(section + " (" + value.size() + ")");
      }
    }
    return new RabbitDefinitions(
        users.build(),
        List.copyOf(vhosts),
        RabbitTopology.read(root),
        policies(root),
        List.copyOf(ignored));
  }

  /** The policies by vhost: name, pattern, apply-to (default all), priority, definition. */
  private static Map<String, Policies> policies(JsonNode root) {
    Map<String, List<Policies.Policy>> byVhost = new LinkedHashMap<>();
    for (JsonNode entry : array(root, "policies")) {
      JsonNode applyTo = entry.get("apply-to");
      JsonNode priority = entry.get("priority");
      Policies.Policy policy =
          new Policies.Policy(
              text(entry, "policies", "name"),
              text(entry, "policies", "pattern"),
              applyTo == null || !applyTo.isTextual() ? "all" : applyTo.asText(),
              priority == null ? 0 : priority.asInt(),
              RabbitTopology.table(entry, "definition"));
      byVhost.computeIfAbsent(text(entry, "policies", "vhost"), v -> new ArrayList<>()).add(policy);
    }
    Map<String, Policies> policies = new LinkedHashMap<>();
    byVhost.forEach((vhost, list) -> policies.put(vhost, new Policies(list)));
    return Map.copyOf(policies);
  }

  static Iterable<JsonNode> array(JsonNode root, String section) {
    JsonNode value = root.get(section);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException("'" + section + "' must be an array");
    }
    return value;
  }

  static String text(JsonNode entry, String section, String field) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(
          "an entry of '" + section + "' has no text field '" + field + "': " + entry);
    }
    return value.asText();
  }

  private static String optionalText(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }
}
