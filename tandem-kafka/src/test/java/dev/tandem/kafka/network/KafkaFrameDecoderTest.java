package dev.tandem.kafka.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KafkaFrameDecoderTest {
  private static ByteBuf frames(String... payloads) {
    ByteBuf out = Unpooled.buffer();
    for (String payload : payloads) {
      byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length).writeBytes(bytes);
    }
    return out;
  }

  private static String take(EmbeddedChannel channel) {
    ByteBuf frame = channel.readInbound();
    try {
      return frame.toString(StandardCharsets.UTF_8);
    } finally {
      frame.release();
    }
  }

  @Test
  void shouldSplitSeveralFramesFromOneBuffer() {
    EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1024));
    channel.writeInbound(frames("one", "", "three"));
    assertThat(take(channel)).isEqualTo("one");
    assertThat(take(channel)).isEmpty();
    assertThat(take(channel)).isEqualTo("three");
    assertThat(channel.<Object>readInbound()).isNull();
  }

  @Test
  void shouldAssembleFrameFedOneByteAtATime() {
    EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1024));
    ByteBuf all = frames("hello", "world");
    while (all.isReadable()) {
      channel.writeInbound(all.readRetainedSlice(1));
    }
    all.release();
    assertThat(take(channel)).isEqualTo("hello");
    assertThat(take(channel)).isEqualTo("world");
  }

  @Test
  void shouldCloseConnectionOnFrameLongerThanMaximumWithoutAllocatingIt() {
    EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1024));
    channel.writeInbound(Unpooled.buffer().writeInt(1025).writeBytes(new byte[16]));
    assertThat(channel.isOpen()).isFalse();
    assertThat(channel.<Object>readInbound()).isNull();
  }

  @Test
  void shouldCloseConnectionOnNegativeSize() {
    EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1024));
    channel.writeInbound(Unpooled.buffer().writeInt(-1));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void shouldReleasePartialFrameWhenConnectionCloses() {
    EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1024));
    channel.writeInbound(Unpooled.buffer().writeInt(100).writeBytes(new byte[10]));
    assertThat(channel.finish()).isFalse();
  }
}
