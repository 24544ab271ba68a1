package dev.tandem.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages as records in a queue's log. */
class MessageRecordTest {
  private static Message message(String body) {
    return new Message(
        "x", "key", new byte[] {1, 2}, Map.of(), body.getBytes(StandardCharsets.UTF_8), true, 0, 0);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  @Test
  void shouldEncodeOnePublishOnceForSeveralQueuesInBuffersOfTheirOwn() {
    Message message = message("body");
    MessageRecord.Shared shared = new MessageRecord.Shared();
    ByteBuffer first = shared.encode(message, 1_000);
    byte[] expected = bytes(MessageRecord.encode(message, 1_000));
    assertThat(bytes(first)).isEqualTo(expected);

    first.putLong(0, 42L); // a log writes its base offset into the batch it appends
    ByteBuffer second = shared.encode(message, 1_000);
    assertThat(bytes(second)).isEqualTo(expected);
    assertThat(second.array()).isNotSameAs(first.array());

    assertThat(bytes(shared.encode(message, 1_001)))
        .isEqualTo(bytes(MessageRecord.encode(message, 1_001)));
    Message other = message("other");
    assertThat(bytes(shared.encode(other, 1_001)))
        .isEqualTo(bytes(MessageRecord.encode(other, 1_001)));
  }
}
