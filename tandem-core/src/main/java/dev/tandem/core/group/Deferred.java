package dev.tandem.core.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Future completions collected while a group's lock is held and run once it is released, so that no
 * caller's callback ever runs under a group lock.
 *
 * <p>Not thread-safe: one per operation, on one thread.
 */
final class Deferred {
  private final List<Runnable> actions = new ArrayList<>();

  <T> void complete(CompletableFuture<T> future, T value) {
    if (future != null) {
      actions.add(() -> future.complete(value));
    }
  }

  void run() {
    for (Runnable action : actions) {
      action.run();
    }
    actions.clear();
  }
}
