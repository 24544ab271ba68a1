package dev.tandem.kafka.api;

import dev.tandem.kafka.network.KafkaApi;
import dev.tandem.kafka.network.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A handler whose work waits on the disk, run on one shared thread instead of the connection's
 * event loop: creating, deleting or altering a topic waits for an fsync of the broker's metadata
 * (and opens or removes logs), which would stall every other connection of that loop. The thread
 * takes the work in arrival order, so a topic a CreateTopics made exists for the Metadata
 * auto-creation that follows it ({@link #run}); responses still go out in request order.
 * Thread-safe.
 */
public final class OffLoop implements KafkaApi {
  private static final ExecutorService ADMIN =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "tandem-kafka-admin");
            thread.setDaemon(true);
            return thread;
          });

  private final KafkaApi handler;

  private OffLoop(KafkaApi handler) {
    this.handler = handler;
  }

  public static KafkaApi of(KafkaApi handler) {
    return new OffLoop(handler);
  }

  /** Runs work that waits on the disk on the shared thread. */
  static CompletableFuture<ApiMessage> run(Supplier<ApiMessage> work) {
    return CompletableFuture.supplyAsync(work, ADMIN);
  }

  @Override
  public ApiKeys key() {
    return handler.key();
  }

  @Override
  public short oldestVersion() {
    return handler.oldestVersion();
  }

  @Override
  public short latestVersion() {
    return handler.latestVersion();
  }

  @Override
  public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
    return CompletableFuture.supplyAsync(() -> handler.handle(request), ADMIN)
        .thenCompose(response -> response);
  }
}
