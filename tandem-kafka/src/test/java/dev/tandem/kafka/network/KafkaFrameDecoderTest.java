package dev.tandem.kafka.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    List<ByteBuf> allocated = new ArrayList<>();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel
        .config()
        .setAllocator(
            new AbstractByteBufAllocator() {
              @Override
              protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return Unpooled.buffer(initialCapacity, maxCapacity);
              }

              @Override
              protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buffer = Unpooled.directBuffer(initialCapacity, maxCapacity);
                allocated.add(buffer);
                return buffer;
              }

              @Override
              public boolean isDirectBufferPooled() {
                return false;
              }
            });
    channel.pipeline().addLast(new KafkaFrameDecoder(1024));
    channel.writeInbound(Unpooled.buffer().writeInt(100).writeBytes(new byte[10]));
    assertThat(allocated).hasSize(1);
    assertThat(allocated.get(0).refCnt()).isEqualTo(1);
    assertThat(channel.finish()).isFalse();
    assertThat(allocated.get(0).refCnt()).isZero();
  }
}
