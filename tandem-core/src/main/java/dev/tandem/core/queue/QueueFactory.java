package dev.tandem.core.queue;

import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.Durability;
import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The storage behind queues: each queue is the log {@code q.VHOST-HASH.QUEUE-HASH} of the data
 * directory (hashes, since AMQP names may be longer than a file name), plus {@code ...acks} for a
 * durable queue. Durable queues append under the broker's durability policy (fsync by default, so a
 * confirm waits for the disk), others under never (page cache, deleted at restart). Thread-safe.
 */
public final class QueueFactory {
  private static final LogConfig DURABLE =
      LogConfig.DEFAULT
          .withSegmentBytes(64 * 1024 * 1024)
          .withRetention(-1, -1)
          .withMaxBatchBytes(Integer.MAX_VALUE / 2);
  private static final LogConfig TRANSIENT = DURABLE.withDurability(Durability.NEVER);
  private static final LogConfig ACKS =
      LogConfig.DEFAULT
          .withSegmentBytes(4 * 1024 * 1024)
          .withRetention(-1, -1)
          .withDurability(Durability.NEVER);

  private final LogDirectory directory;
  private final LogConfig durableConfig;
  private final WindowBudget budget = WindowBudget.quarterOfHeap();

  /**
   * Durable queues under the broker's default policy ({@code log.durability}, fsync unless set).
   */
  public QueueFactory(LogDirectory directory, Durability durability) {
    this.directory = directory;
    this.durableConfig = DURABLE.withDurability(durability);
  }

  /**
   * Creates a queue with no messages, removing anything a previous queue of that name left.
   *
   * @param deadLetters where it hands the messages it dead-letters (used when it has a DLX)
   */
  public Queue create(
      String vhost,
      String name,
      QueueOptions options,
      Map<String, Object> arguments,
      DeadLetterSink deadLetters) {
    String logName = logName(vhost, name);
    try {
      directory.deleteLog(logName);
      directory.deleteLog(logName + ".acks");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return open(vhost, name, options, arguments, deadLetters);
  }

  /**
   * Opens a queue and recovers what its logs hold.
   *
   * @param options how it was declared
   * @param arguments the x-arguments it runs with: the declared ones and what a policy adds
   */
  public Queue open(
      String vhost,
      String name,
      QueueOptions options,
      Map<String, Object> arguments,
      DeadLetterSink deadLetters) {
    String logName = logName(vhost, name);
    try {
      Log log = directory.openLog(logName, options.durable() ? durableConfig : TRANSIENT);
      AckLog acks =
          options.durable() ? new AckLog(directory.openLog(logName + ".acks", ACKS)) : null;
      Queue queue = new Queue(vhost, name, options, arguments, log, acks, deadLetters, budget);
      queue.recover();
      return queue;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The memory the windows of ready messages of this factory's queues share. */
  public WindowBudget windowBudget() {
    return budget;
  }

  /** Deletes the queue and its logs; returns the consumers it had, now detached. */
  public List<QueueConsumer> delete(Queue queue) {
    List<QueueConsumer> detached = queue.markDeleted();
    String logName = logName(queue.vhost(), queue.name());
    try {
      directory.deleteLog(logName);
      directory.deleteLog(logName + ".acks");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return detached;
  }

  /** Removes the logs of every queue of {@code vhost} not named in {@code keep}. */
  public void deleteOthers(String vhost, Set<String> keep) {
    Set<String> kept = new HashSet<>();
    for (String name : keep) {
      kept.add(logName(vhost, name));
      kept.add(logName(vhost, name) + ".acks");
    }
    String prefix = "q." + hash(vhost).substring(0, 16) + ".";
    try {
      for (String log : directory.logNames()) {
        if (log.startsWith(prefix) && !kept.contains(log)) {
          directory.deleteLog(log);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String logName(String vhost, String name) {
    return "q." + hash(vhost).substring(0, 16) + "." + hash(vhost + "\u0000" + name);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
