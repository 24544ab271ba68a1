package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** How the Java client reports a channel error (a soft error: the connection stays open). */
final class ChannelErrors {
  private ChannelErrors() {}

  /** Asserts that the call fails with a channel error carrying this reply code and text. */
  static void assertChannelError(ThrowingCallable call, int code, String text) {
    assertThatThrownBy(call)
        .isInstanceOf(IOException.class)
        .cause()
        .isInstanceOfSatisfying(
            ShutdownSignalException.class,
            e -> {
              assertThat(e.isHardError()).isFalse();
              AMQP.Channel.Close close = (AMQP.Channel.Close) e.getReason();
              assertThat(close.getReplyCode()).isEqualTo(code);
              assertThat(close.getReplyText()).contains(text);
            });
  }
}
