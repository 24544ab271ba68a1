package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.listener.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void shouldListEveryProtocolInOrder() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Map<Protocol, InetSocketAddress> bound =
        Map.of(
            Protocol.HTTP, new InetSocketAddress(loopback, 15672),
            Protocol.AMQP, new InetSocketAddress(loopback, 5672),
            Protocol.KAFKA, new InetSocketAddress(loopback, 9092));

    assertThat(Main.listening(bound, "127.0.0.1"))
        .isEqualTo("http=127.0.0.1:15672 amqp=127.0.0.1:5672 kafka=127.0.0.1:9092");
  }

  @Test
  void shouldListEveryProtocolWithUnboundOnesAsNotYetAvailable() throws Exception {
    InetSocketAddress http = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 15672);

    assertThat(Main.listening(Map.of(Protocol.HTTP, http), "127.0.0.1"))
        .isEqualTo("http=127.0.0.1:15672 amqp=(not yet available) kafka=(not yet available)");
  }

  @Test
  void shouldShowWildcardAddressAsConfigured() throws Exception {
    InetSocketAddress anyV6 = new InetSocketAddress(InetAddress.getByName("::"), 9092);

    assertThat(Main.listening(Map.of(Protocol.KAFKA, anyV6), "0.0.0.0"))
        .endsWith("kafka=0.0.0.0:9092");
  }

  @Test
  void shouldBracketIpv6Addresses() throws Exception {
    InetSocketAddress loopbackV6 = new InetSocketAddress(InetAddress.getByName("::1"), 5672);

    assertThat(Main.listening(Map.of(Protocol.AMQP, loopbackV6), "::1"))
        .contains("amqp=[0:0:0:0:0:0:0:1]:5672");
  }
}
