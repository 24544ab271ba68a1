package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions (§1.9) with the Java client. */
class AmqpTransactionTest {
  @TempDir Path dir;
  private AmqpTestBroker broker;
  private Connection connection;
  private Channel observer;

  @BeforeEach
  void start() throws Exception {
    broker = new AmqpTestBroker(dir).start();
    connection = broker.connect();
    observer = connection.createChannel();
    observer.queueDeclare("txq", true, false, false, null);
  }

  @AfterEach
  void stop() throws Exception {
    if (connection.isOpen()) {
      connection.close();
    }
    broker.close();
  }

  private long ready() throws Exception {
    return observer.queueDeclarePassive("txq").getMessageCount();
  }

  @Test
  void shouldPublishOnlyOnCommitAndDiscardOnRollback() throws Exception {
    Channel tx = connection.createChannel();
    tx.txSelect();
    tx.basicPublish("", "txq", MessageProperties.PERSISTENT_BASIC, bytes("one"));
    tx.basicPublish("", "txq", MessageProperties.PERSISTENT_BASIC, bytes("two"));
    assertThat(ready()).isZero();

    tx.txCommit();
    assertThat(ready()).isEqualTo(2);

    tx.basicPublish("", "txq", null, bytes("three"));
    tx.txRollback();
    tx.txCommit();
    assertThat(ready()).isEqualTo(2);
  }

  @Test
  void shouldApplyAcksOnlyOnCommitAndRestoreThemOnRollback() throws Exception {
    observer.basicPublish("", "txq", null, bytes("a"));
    observer.basicPublish("", "txq", null, bytes("b"));
    Channel tx = connection.createChannel();
    tx.txSelect();
    GetResponse a = tx.basicGet("txq", false);
    GetResponse b = tx.basicGet("txq", false);

    tx.basicAck(a.getEnvelope().getDeliveryTag(), false);
    tx.txRollback();
    tx.basicAck(b.getEnvelope().getDeliveryTag(), false);
    tx.txCommit();
    tx.close();

    GetResponse left = observer.basicGet("txq", true);
    assertThat(new String(left.getBody(), StandardCharsets.UTF_8)).isEqualTo("a");
    assertThat(left.getEnvelope().isRedeliver()).isTrue();
    assertThat(ready()).isZero();
  }

  @Test
  void shouldRefuseCommitOnNonTransactionalChannel() throws Exception {
    Channel channel = connection.createChannel();
    assertThatThrownBy(channel::txCommit)
        .cause()
        .hasMessageContaining("406")
        .hasMessageContaining("channel is not transactional");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
