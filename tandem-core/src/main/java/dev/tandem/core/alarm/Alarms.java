package dev.tandem.core.alarm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The node's resource alarms together (disk, memory): publishers are blocked while any is raised
 * and released when all are clear, as RabbitMQ does. Thread-safe.
 */
public final class Alarms {
  private final List<ResourceAlarm> alarms;

  public Alarms(ResourceAlarm... alarms) {
    this.alarms = List.of(alarms);
  }

  public void check() {
    alarms.forEach(ResourceAlarm::check);
  }

  public boolean raised() {
    for (ResourceAlarm alarm : alarms) {
      if (alarm.raised()) {
        return true;
      }
    }
    return false;
  }

  /** The reasons of the raised alarms: {@code low on memory & low on disk space}. */
  public String reason() {
    return alarms.stream()
        .filter(ResourceAlarm::raised)
        .map(ResourceAlarm::reason)
        .collect(Collectors.joining(" & "));
  }

  /** Completes when every alarm is clear: at once if they are now. */
  public CompletableFuture<Void> whenCleared() {
    for (ResourceAlarm alarm : alarms) {
      if (alarm.raised()) {
        return alarm.whenCleared().thenCompose(cleared -> whenCleared());
      }
    }
    return CompletableFuture.completedFuture(null);
  }
}
