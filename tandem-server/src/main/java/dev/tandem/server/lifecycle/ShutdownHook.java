package dev.tandem.server.lifecycle;

import java.io.PrintStream;

/**
 * Stops the broker when the JVM is asked to exit (SIGTERM, SIGINT), then ends the process with 0 if
 * everything closed cleanly and 1 if not. Left alone, the JVM would exit 143 after SIGTERM;
 * supervisors read that as a failure, so the hook halts with its own status once the broker has
 * stopped. Disarmed when start-up fails, so that the exit status of the failure stands.
 *
 * <p>Thread-safe: armed and disarmed from the main thread, run on the JVM's shutdown thread.
 */
public final class ShutdownHook implements Runnable {
  private final Broker broker;
  private final PrintStream out;
  private volatile boolean armed = true;

  public ShutdownHook(Broker broker, PrintStream out) {
    this.broker = broker;
    this.out = out;
  }

  /** Installs this hook in the JVM. */
  public void install() {
    Runtime.getRuntime().addShutdownHook(new Thread(this, "tandem-shutdown"));
  }

  /** Makes the hook do nothing: the process is exiting for another reason. */
  public void disarm() {
    armed = false;
  }

  @Override
  public void run() {
    if (!armed) {
      return;
    }
    boolean clean = broker.stop();
    out.println(clean ? "tandem: stopped" : "tandem: stopped, but not cleanly (see log)");
    out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(clean ? 0 : 1);
  }
}
