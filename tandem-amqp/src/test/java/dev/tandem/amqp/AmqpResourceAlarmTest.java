package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.tandem.core.alarm.DiskAlarm;
import dev.tandem.core.alarm.MemoryAlarm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource alarms as RabbitMQ applies them (its "Memory and Disk Alarms" and "Blocked
 * Connection Notifications" guides): a connection that publishes while free disk space is below the
 * limit, or the heap in use above its watermark, is blocked and told so with connection.blocked;
 * connections that only consume go on; when the resource returns, connection.unblocked, and what
 * the blocked publisher sent arrives. The free space and the heap are the real ones; the test moves
 * the limits above and below them.
 */
class AmqpResourceAlarmTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection publisher;
  private Connection consumer;
  private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    publisher = broker.connect();
    publisher.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            notices.add("blocked: " + reason);
          }

          @Override
          public void handleUnblocked() {
            notices.add("unblocked");
          }
        });
    consumer = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    alarm().limit(0);
    broker.node().memoryAlarm().watermark(1.0);
    for (Connection connection : new Connection[] {publisher, consumer}) {
      if (connection.isOpen()) {
        connection.close();
      }
    }
    broker.close();
  }

  private DiskAlarm alarm() {
    return broker.node().diskAlarm();
  }

  private static byte[] text(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** Waits up to 5 s for what the unblocked publisher sent to arrive. */
  private static void assertMessageCountReaches(Channel channel, String queue, int count)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (channel.queueDeclarePassive(queue).getMessageCount() < count
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isEqualTo(count);
  }

  @Test
  void shouldBlockPublishingConnectionWhileFreeSpaceIsBelowLimitAndUnblockWhenItReturns()
      throws Exception {
    Channel reader = consumer.createChannel();
    reader.queueDeclare("work", true, false, false, null);
    Channel writer = publisher.createChannel();

    alarm().limit(Long.MAX_VALUE);
    assertThat(alarm().raised()).isTrue();
    writer.basicPublish("", "work", null, text("first"));
    assertThat(notices.poll(5, TimeUnit.SECONDS)).isEqualTo("blocked: low on disk space");
    for (int i = 0; i < 5; i++) {
      writer.basicPublish("", "work", null, text("held " + i));
    }
    Thread.sleep(300);
    assertThat(reader.queueDeclarePassive("work").getMessageCount())
        .as("only the publish that blocked the connection was taken")
        .isEqualTo(1);

    alarm().limit(0);
    assertThat(notices.poll(5, TimeUnit.SECONDS)).isEqualTo("unblocked");
    assertMessageCountReaches(reader, "work", 6);
    assertThat(publisher.isOpen()).isTrue();
  }

  @Test
  void shouldBlockPublishingConnectionWhileHeapInUseIsAboveWatermark() throws Exception {
    Channel reader = consumer.createChannel();
    reader.queueDeclare("memory", true, false, false, null);
    Channel writer = publisher.createChannel();

    MemoryAlarm memory = broker.node().memoryAlarm();
    memory.watermark(0.0);
    writer.basicPublish("", "memory", null, text("first"));
    assertThat(notices.poll(5, TimeUnit.SECONDS)).isEqualTo("blocked: low on memory");
    writer.basicPublish("", "memory", null, text("held"));

    alarm().limit(Long.MAX_VALUE);
    memory.watermark(1.0);
    Thread.sleep(300);
    assertThat(notices).as("still blocked: the disk alarm is raised too").isEmpty();
    assertThat(reader.queueDeclarePassive("memory").getMessageCount()).isEqualTo(1);

    alarm().limit(0);
    assertThat(notices.poll(5, TimeUnit.SECONDS)).isEqualTo("unblocked");
    assertMessageCountReaches(reader, "memory", 2);
  }

  @Test
  void shouldLetConnectionsThatOnlyConsumeGoOnDuringTheAlarm() throws Exception {
    Channel setup = publisher.createChannel();
    setup.queueDeclare("backlog", true, false, false, null);
    for (int i = 0; i < 3; i++) {
      setup.basicPublish("", "backlog", null, text("m" + i));
    }
    setup.queueDeclarePassive("backlog");

    alarm().limit(Long.MAX_VALUE);
    Channel reader = consumer.createChannel();
    for (int i = 0; i < 3; i++) {
      GetResponse got = reader.basicGet("backlog", false);
      assertThat(got).isNotNull();
      assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("m" + i);
      reader.basicAck(got.getEnvelope().getDeliveryTag(), false);
    }
    assertThat(reader.queueDeclarePassive("backlog").getMessageCount()).isZero();
    assertThat(notices).isEmpty();
  }
}
