package dev.tandem.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** How the Java client reports a channel error (a soft error: the connection stays open). */
final class ChannelErrors {
  private ChannelErrors() {}

  /**
   * Asserts that the call fails with a channel error carrying this reply code and text. A method
   * without a reply (a publish) learns of its error only asynchronously, so the call that follows
   * it either waits for its own reply and fails (an IOException caused by the shutdown signal) or
   * finds the channel already closed (the signal itself, an AlreadyClosedException).
   */
  static void assertChannelError(ThrowingCallable call, int code, String text) {
    Throwable thrown = catchThrowable(call);
    ShutdownSignalException signal = null;
    if (thrown instanceof ShutdownSignalException closed) {
      signal = closed;
    } else if (thrown instanceof IOException
        && thrown.getCause() instanceof ShutdownSignalException s) {
      signal = s;
    }
    assertThat(signal).as("a channel error, not %s", thrown).isNotNull();
    assertThat(signal.isHardError()).isFalse();
    AMQP.Channel.Close close = (AMQP.Channel.Close) signal.getReason();
    assertThat(close.getReplyCode()).isEqualTo(code);
    assertThat(close.getReplyText()).contains(text);
  }
}
