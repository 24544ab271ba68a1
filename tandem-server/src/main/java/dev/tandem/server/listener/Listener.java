package dev.tandem.server.listener;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One server socket of the broker and the connections it accepts: the seam where each protocol
 * module (HTTP, AMQP, Kafka) plugs into the server's lifecycle. The broker starts every listener
 * after storage is open and closes them all before storage closes.
 *
 * <p>{@link #start()} and {@link #close()} are called by the broker's lifecycle thread, never
 * concurrently; what a listener does with its connections is its own threading model.
 */
public interface Listener {

  /** The protocol this listener speaks, as shown in the start-up line. */
  Protocol protocol();

  /**
   * Binds the server socket and starts accepting connections.
   *
   * @return the address actually bound; its port is the one chosen when 0 was asked for
   * @throws IOException if the socket cannot be bound, such as a port already in use
   */
  InetSocketAddress start() throws IOException;

  /**
   * Stops accepting, closes the connections and waits for them to close. Safe to call more than
   * once and on a listener that never started.
   */
  void close();
}
