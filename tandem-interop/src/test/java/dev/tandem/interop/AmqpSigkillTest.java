package dev.tandem.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java AMQP client publishes persistent messages to a durable queue with publisher confirms
 * while the broker is killed with SIGKILL: after a restart every confirmed message is delivered (at
 * least once).
 */
class AmqpSigkillTest {
  @TempDir Path dataDir;

  @Test
  void shouldDeliverEveryConfirmedPersistentMessageAfterSigkill() throws Exception {
    BrokerProcess broker = new BrokerProcess(dataDir).start();
    Set<Integer> confirmed = new ConcurrentSkipListSet<>();
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      factory.setPort(broker.amqpPort());
      factory.setAutomaticRecoveryEnabled(false);
      ConcurrentSkipListMap<Long, Integer> pending = new ConcurrentSkipListMap<>();
      Connection connection = factory.newConnection();
      Channel channel = connection.createChannel();
      channel.queueDeclare("orders", true, false, false, null);
      channel.confirmSelect();
      channel.addConfirmListener(
          (tag, multiple) -> settle(pending, tag, multiple, confirmed),
          (tag, multiple) -> settle(pending, tag, multiple, new HashSet<>()));
      // The kill comes at a random moment once a few hundred confirms are in, so that a cold JVM's
      // first slow fsyncs cannot leave nothing to check.
      long killAt = Long.MAX_VALUE;
      long giveUpAt = System.currentTimeMillis() + 30_000;
      int value = 0;
      try {
        while (System.currentTimeMillis() < giveUpAt) {
          pending.put(channel.getNextPublishSeqNo(), value);
          channel.basicPublish(
              "",
              "orders",
              MessageProperties.PERSISTENT_BASIC,
              Integer.toString(value++).getBytes(StandardCharsets.UTF_8));
          if (killAt == Long.MAX_VALUE && confirmed.size() >= 300) {
            killAt = System.currentTimeMillis() + ThreadLocalRandom.current().nextInt(300);
          }
          if (System.currentTimeMillis() >= killAt) {
            broker.kill();
            break;
          }
        }
      } catch (Exception expected) {
        // the connection dies with the broker
      }
      assertThat(killAt).as("the broker was killed mid-run").isLessThan(Long.MAX_VALUE);
      assertThat(confirmed.size())
          .as("messages confirmed before the kill")
          .isGreaterThanOrEqualTo(300);
      broker.start();
      Set<Integer> delivered = new HashSet<>();
      try (Connection again = factory.newConnection()) {
        Channel reader = again.createChannel();
        GetResponse response;
        while ((response = reader.basicGet("orders", true)) != null) {
          delivered.add(Integer.parseInt(new String(response.getBody(), StandardCharsets.UTF_8)));
        }
      }
      assertThat(delivered).as("every confirmed message is delivered").containsAll(confirmed);
    } finally {
      broker.close();
    }
  }

  private static void settle(
      ConcurrentSkipListMap<Long, Integer> pending, long tag, boolean multiple, Set<Integer> into) {
    if (multiple) {
      var settled = pending.headMap(tag, true);
      into.addAll(settled.values());
      settled.clear();
    } else {
      Integer value = pending.remove(tag);
      if (value != null) {
        into.add(value);
      }
    }
  }
}
