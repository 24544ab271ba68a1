package dev.tandem.core.vhost;

import static dev.tandem.core.vhost.VhostException.Reason.PRECONDITION_FAILED;

import dev.tandem.core.exchange.Binding;
import dev.tandem.core.exchange.Exchange;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Refuses a binding through which a topic's records would come back to where they started: records
 * appended to a stream are routed out through its exchange's bindings, so a cycle that passes
 * through a stream would append for ever. A cycle of exchanges alone stays allowed: routing visits
 * each exchange once per message, as in RabbitMQ.
 *
 * <p>Stateless; the caller holds the vhost's lock while the bindings are walked.
 */
final class BindingLoops {
  private final Map<String, Exchange> exchanges;
  private final Predicate<String> isStream;

  /**
   * @param exchanges the vhost's exchanges by name (a stream's exchange has the stream's name)
   * @param isStream whether a binding destination of that name is a stream
   */
  BindingLoops(Map<String, Exchange> exchanges, Predicate<String> isStream) {
    this.exchanges = exchanges;
    this.isStream = isStream;
  }

  /**
   * @throws VhostException PRECONDITION_FAILED if the binding would close such a cycle
   */
  void check(Binding binding) {
    boolean throughStream = isStream.test(binding.source()) || isStream.test(binding.destination());
    if (reaches(binding.destination(), binding.source(), throughStream, new HashSet<>())) {
      throw new VhostException(
          PRECONDITION_FAILED,
          "binding from '"
              + binding.source()
              + "' to '"
              + binding.destination()
              + "' would loop: records routed through it would come back to '"
              + binding.source()
              + "'");
    }
  }

  /**
   * Whether what is routed into exchange (or stream) {@code from} can reach exchange {@code to} on
   * a path through at least one stream.
   */
  private boolean reaches(String from, String to, boolean throughStream, Set<String> visited) {
    if (from.equals(to)) {
      return throughStream;
    }
    Exchange exchange = exchanges.get(from);
    if (exchange == null || !visited.add(from + (throughStream ? "/s" : "/e"))) {
      return false;
    }
    for (Binding next : exchange.bindings()) {
      boolean intoStream = !next.toExchange() && isStream.test(next.destination());
      if ((next.toExchange() || intoStream)
          && reaches(next.destination(), to, throughStream || intoStream, visited)) {
        return true;
      }
    }
    return false;
  }
}
