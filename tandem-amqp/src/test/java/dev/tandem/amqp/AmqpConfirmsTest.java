package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publisher confirms (RabbitMQ's confirm.select extension) with the Java client. */
class AmqpConfirmsTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    connection = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  @Test
  void shouldConfirmEveryPublishRoutedOrNot() throws Exception {
    Channel channel = connection.createChannel();
    channel.queueDeclare("durable", true, false, false, null);
    channel.queueDeclare("transient", false, false, false, null);
    channel.confirmSelect();
    ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    channel.addConfirmListener(
        (tag, multiple) -> {
          if (multiple) {
            for (long t = 1; t <= tag; t++) {
              acked.add(t);
            }
          } else {
            acked.add(tag);
          }
        },
        (tag, multiple) -> {
          throw new AssertionError("nack " + tag);
        });

    for (int i = 0; i < 200; i++) {
      String queue = i % 3 == 0 ? "durable" : i % 3 == 1 ? "transient" : "nowhere";
      channel.basicPublish("", queue, true, MessageProperties.PERSISTENT_BASIC, new byte[100]);
    }

    channel.waitForConfirmsOrDie(10_000);
    assertThat(acked).hasSize(200).first().isEqualTo(1L);
    assertThat(channel.getNextPublishSeqNo()).isEqualTo(201);
    assertThat(channel.queueDeclarePassive("durable").getMessageCount()).isEqualTo(67);
  }

  @Test
  void shouldRefuseConfirmModeOnTransactionalChannelAndViceVersa() throws Exception {
    Channel tx = connection.createChannel();
    tx.txSelect();
    assertThatThrownBy(tx::confirmSelect)
        .cause()
        .hasMessageContaining("406")
        .hasMessageContaining("cannot switch from tx to confirm mode");

    Channel confirms = connection.createChannel();
    confirms.confirmSelect();
    assertThatThrownBy(confirms::txSelect)
        .cause()
        .hasMessageContaining("406")
        .hasMessageContaining("cannot switch from confirm to tx mode");
  }
}
