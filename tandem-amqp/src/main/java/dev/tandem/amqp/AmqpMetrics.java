package dev.tandem.amqp;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the AMQP listener: what the error boundary and the hot paths count instead of logging
 * per message. Thread-safe; read them for metrics and tests.
 */
public final class AmqpMetrics {
  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder connectionErrors = new LongAdder();
  private final LongAdder channelErrors = new LongAdder();
  private final LongAdder authenticationFailures = new LongAdder();
  private final LongAdder heartbeatTimeouts = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder returned = new LongAdder();
  private final LongAdder publishersHeld = new LongAdder();
  private final LongAdder blockedByAlarm = new LongAdder();

  /** Connections that reached connection.open-ok. */
  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  /** connection.close sent by the server with an error code. */
  public long connectionErrors() {
    return connectionErrors.sum();
  }

  /** channel.close sent by the server with an error code. */
  public long channelErrors() {
    return channelErrors.sum();
  }

  public long authenticationFailures() {
    return authenticationFailures.sum();
  }

  /** Connections closed because the client stopped sending heartbeats. */
  public long heartbeatTimeouts() {
    return heartbeatTimeouts.sum();
  }

  /** Messages received through basic.publish. */
  public long published() {
    return published.sum();
  }

  /** basic.deliver and basic.get-ok sent. */
  public long delivered() {
    return delivered.sum();
  }

  /** basic.return sent. */
  public long returned() {
    return returned.sum();
  }

  public void onConnectionOpened() {
    connectionsOpened.increment();
  }

  public void onConnectionError() {
    connectionErrors.increment();
  }

  public void onChannelError() {
    channelErrors.increment();
  }

  public void onAuthenticationFailure() {
    authenticationFailures.increment();
  }

  public void onHeartbeatTimeout() {
    heartbeatTimeouts.increment();
  }

  public void onPublished() {
    published.increment();
  }

  public void onDelivered() {
    delivered.increment();
  }

  public void onReturned() {
    returned.increment();
  }

  /** Times a publishing connection was held back because a queue it feeds was congested. */
  public long publishersHeld() {
    return publishersHeld.sum();
  }

  public void onPublisherHeld() {
    publishersHeld.increment();
  }

  /** Times a connection was blocked for publishing while the disk alarm was raised. */
  public long blockedByAlarm() {
    return blockedByAlarm.sum();
  }

  public void onBlockedByAlarm() {
    blockedByAlarm.increment();
  }
}
