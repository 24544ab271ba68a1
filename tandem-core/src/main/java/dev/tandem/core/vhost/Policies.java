package dev.tandem.core.vhost;

import dev.tandem.core.queue.QueueOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The policies of one vhost, as RabbitMQ applies them to queues: of the policies whose pattern
 * matches a queue's name (anywhere in it) and whose {@code apply-to} takes the queue's type, the
 * one of highest priority adds its definition to the queue's own x-arguments. For {@code
 * max-length}, {@code max-length-bytes}, {@code message-ttl}, {@code expires} and {@code
 * delivery-limit} (quorum queues) the lower of the two values holds; for {@code
 * dead-letter-exchange}, {@code dead-letter-routing-key} and {@code overflow} the queue's own
 * argument does, as RabbitMQ resolves them. Exchanges take {@code alternate-exchange} from theirs
 * unless declared with one. Other definition keys have no effect here. Declared arguments stay what
 * redeclarations are compared with. Thread-safe; the policies never change.
 */
public final class Policies {
  public static final Policies NONE = new Policies(List.of());

  private static final Set<String> LOWER_WINS =
      Set.of("max-length", "max-length-bytes", "message-ttl", "expires", "delivery-limit");
  private static final Set<String> ARGUMENT_WINS =
      Set.of("dead-letter-exchange", "dead-letter-routing-key", "overflow");
  private static final String ALTERNATE = "alternate-exchange";
  private static final Set<String> APPLY_TO =
      Set.of("all", "queues", "classic_queues", "quorum_queues", "streams", "exchanges");

  /**
   * One policy, as a definitions file gives it.
   *
   * @throws IllegalArgumentException for a pattern that is not a regular expression or an unknown
   *     apply-to
   */
  public record Policy(
      String name, String pattern, String applyTo, int priority, Map<String, Object> definition) {
    public Policy {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "policy '" + name + "': pattern '" + pattern + "': " + e.getDescription());
      }
      if (!APPLY_TO.contains(applyTo)) {
        throw new IllegalArgumentException(
            "policy '" + name + "': apply-to is one of " + APPLY_TO + ", not '" + applyTo + "'");
      }
      definition = Map.copyOf(definition);
    }

    /** The definition's keys that have no effect here (ha-mode, queue-mode, ...). */
    public List<String> ignoredKeys() {
      return definition.keySet().stream()
          .filter(
              key ->
                  !LOWER_WINS.contains(key)
                      && !ARGUMENT_WINS.contains(key)
                      && !key.equals(ALTERNATE))
          .sorted()
          .toList();
    }
  }

  private record Compiled(Policy policy, Pattern pattern) {}

  private final List<Compiled> byPriority;
  // Exchange name -> the alternate exchange its policy names, looked up once per name.
  private final Map<String, Optional<String>> alternates = new ConcurrentHashMap<>();

  public Policies(List<Policy> policies) {
    List<Compiled> compiled = new ArrayList<>();
    for (Policy policy : policies) {
      compiled.add(new Compiled(policy, Pattern.compile(policy.pattern())));
    }
    compiled.sort(Comparator.comparingInt((Compiled c) -> -c.policy().priority()));
    this.byPriority = List.copyOf(compiled);
  }

  public int size() {
    return byPriority.size();
  }

  /** Runs the action on each policy, highest priority first. */
  public void forEach(java.util.function.Consumer<Policy> action) {
    byPriority.forEach(compiled -> action.accept(compiled.policy()));
  }

  /** The x-arguments the queue runs with: its own, and what its policy adds to them. */
  public Map<String, Object> arguments(String queue, QueueOptions declared) {
    Map<String, Object> own = declared.arguments();
    String type = String.valueOf(own.getOrDefault("x-queue-type", "classic"));
    for (Compiled candidate : byPriority) {
      if (appliesTo(candidate.policy().applyTo(), type)
          && candidate.pattern().matcher(queue).find()) {
        return merge(own, candidate.policy().definition());
      }
    }
    return own;
  }

  /** The alternate exchange the exchange's policy names, or null. */
  public String alternateExchange(String exchange) {
    if (byPriority.isEmpty()) {
      return null;
    }
    return alternates
        .computeIfAbsent(
            exchange,
            name -> {
              for (Compiled candidate : byPriority) {
                String applyTo = candidate.policy().applyTo();
                if ((applyTo.equals("all") || applyTo.equals("exchanges"))
                    && candidate.pattern().matcher(name).find()) {
                  return Optional.ofNullable(candidate.policy().definition().get(ALTERNATE))
                      .filter(String.class::isInstance)
                      .map(String.class::cast);
                }
              }
              return Optional.empty();
            })
        .orElse(null);
  }

  private static boolean appliesTo(String applyTo, String type) {
    return switch (applyTo) {
      case "all", "queues" -> true;
      case "classic_queues" -> type.equals("classic");
      case "quorum_queues" -> type.equals("quorum");
      default -> false;
    };
  }

  private static Map<String, Object> merge(Map<String, Object> own, Map<String, Object> policy) {
    Map<String, Object> merged = new LinkedHashMap<>(own);
    policy.forEach(
        (key, value) -> {
          String argument = "x-" + key;
          if (ARGUMENT_WINS.contains(key)) {
            merged.putIfAbsent(argument, value);
          } else if (LOWER_WINS.contains(key) && value instanceof Number limit) {
            merged.merge(
                argument,
                limit.longValue(),
                (mine, theirs) ->
                    mine instanceof Number n ? Math.min(n.longValue(), limit.longValue()) : theirs);
          }
        });
    return merged;
  }
}
