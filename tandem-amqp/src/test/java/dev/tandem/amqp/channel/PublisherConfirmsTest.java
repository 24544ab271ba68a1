package dev.tandem.amqp.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.amqp.codec.AmqpMethod;
import dev.tandem.amqp.codec.BasicMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The order and coalescing of publisher confirms, against stores completing in any order. */
class PublisherConfirmsTest {
  private final List<AmqpMethod> written = new ArrayList<>();
  private final PublisherConfirms confirms = new PublisherConfirms(written::add, Runnable::run);

  private CompletableFuture<Void> publish() {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    confirms.onStored(confirms.next(), stored);
    return stored;
  }

  @Test
  void shouldAckOnlyAfterTheStoreCompletes() {
    CompletableFuture<Void> stored = publish();
    confirms.flush();
    assertThat(written).isEmpty();

    stored.complete(null);

    assertThat(written).containsExactly(new BasicMethod.Ack(1, false));
  }

  @Test
  void shouldCoalesceAcksCompletedTogetherWithMultiple() {
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));
    confirms.confirmNow(confirms.next());

    confirms.flush();

    assertThat(written).containsExactly(new BasicMethod.Ack(3, true));
  }

  @Test
  void shouldNeverCoverAPendingStoreWithAMultipleAck() {
    CompletableFuture<Void> first = publish();
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));

    confirms.flush();
    assertThat(written)
        .containsExactly(new BasicMethod.Ack(2, false), new BasicMethod.Ack(3, false));

    first.complete(null);
    assertThat(written).last().isEqualTo(new BasicMethod.Ack(1, false));
  }

  @Test
  void shouldNackAFailedStoreBeforeAnyAckThatWouldCoverIt() {
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));
    confirms.onStored(
        confirms.next(), CompletableFuture.failedFuture(new IllegalStateException("disk")));
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));
    confirms.onStored(confirms.next(), CompletableFuture.completedFuture(null));

    confirms.flush();

    assertThat(written)
        .containsExactly(
            new BasicMethod.Ack(1, false),
            new BasicMethod.Nack(2, false, false),
            new BasicMethod.Ack(4, true));
  }

  @Test
  void shouldWriteNothingOnceClosed() {
    CompletableFuture<Void> stored = publish();
    confirms.close();

    stored.complete(null);

    assertThat(written).isEmpty();
  }
}
