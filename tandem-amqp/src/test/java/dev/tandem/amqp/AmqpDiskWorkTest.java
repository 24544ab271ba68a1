package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.tandem.core.vhost.Vhost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declarations wait on the disk (a durable definition's fsync, a queue's logs) off the event loop:
 * while one connection's declaration waits, the other connections served by the same event loop go
 * on, and the waiting connection's later methods still take effect after it. The test makes the
 * declaration wait by holding the vhost, as a slow fsync would.
 */
class AmqpDiskWorkTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  private static byte[] text(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldServeOtherConnectionsWhileADeclarationWaitsAndKeepItsOwnMethodsInOrder()
      throws Exception {
    // Connections go round-robin over the test broker's two event loops: 1 and 3 share one.
    Connection declaring = broker.connect();
    Connection other = broker.connect();
    Connection neighbour = broker.connect();
    Channel reader = neighbour.createChannel();
    reader.queueDeclare("ready", false, false, false, null);
    Channel declarer = declaring.createChannel();
    Vhost vhost = broker.node().vhosts().vhost("/").orElseThrow();

    CompletableFuture<Integer> declared;
    synchronized (vhost) {
      declared =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  declarer.queueDeclareNoWait("slow", true, false, false, null);
                  declarer.basicPublish("", "slow", null, text("after the declaration"));
                  return declarer.queueDeclarePassive("slow").getMessageCount();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      Thread.sleep(200);
      assertThat(declared).as("the declaration waits for the vhost").isNotDone();
      CompletableFuture<GetResponse> served =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  reader.basicPublish("", "ready", null, text("served"));
                  return reader.basicGet("ready", true);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      GetResponse got = served.get(5, TimeUnit.SECONDS);
      assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("served");
    }
    assertThat(declared.get(5, TimeUnit.SECONDS))
        .as("the publish sent behind the no-wait declaration reached the queue it declared")
        .isEqualTo(1);
    other.close();
    neighbour.close();
    declaring.close();
  }
}
