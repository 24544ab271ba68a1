package dev.tandem.server;

import dev.tandem.server.cli.Invocation;
import dev.tandem.server.cli.TandemCommand;
import dev.tandem.server.config.BrokerConfig;
import dev.tandem.server.config.ConfigException;
import dev.tandem.server.lifecycle.Broker;
import dev.tandem.server.lifecycle.ShutdownHook;
import dev.tandem.server.lifecycle.StartupException;
import dev.tandem.server.listener.Protocol;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The {@code tandem} process: parses the command line, starts a {@link Broker}, prints where it
 * listens, and waits until SIGTERM stops it. The one place where a failure becomes the single line
 * {@code tandem: error: ...} on stderr and an exit status: 2 for a bad command line or setting, 1
 * for a start-up failure (port in use, data directory locked) or an unexpected error. Never a stack
 * trace.
 *
 * <p>Runs on the main thread; stopping happens on the shutdown hook's thread.
 */
public final class Main {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (ConfigException e) {
      fail(EXIT_USAGE, e.getMessage());
    } catch (StartupException e) {
      fail(EXIT_FAILURE, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(EXIT_FAILURE, "interrupted");
    } catch (RuntimeException | Error e) {
      fail(EXIT_FAILURE, "unexpected " + e);
    }
  }

  private static void run(String[] args)
      throws ConfigException, StartupException, InterruptedException {
    Thread loggingInit = initLoggingInBackground();
    PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
    Optional<Invocation> invocation = TandemCommand.parse(args, out);
    if (invocation.isEmpty()) {
      return;
    }
    BrokerConfig config = invocation.get().config();
    loggingInit.join();
    Broker broker = new Broker(config);
    ShutdownHook hook = new ShutdownHook(broker, System.out);
    hook.install();
    try {
      broker.start();
    } catch (StartupException | RuntimeException e) {
      hook.disarm();
      throw e;
    }
    String history =
        broker.newDataDir()
            ? "new"
            : "clean shutdown: " + (broker.wasCleanShutdown() ? "yes" : "no");
    out.println("tandem: data directory " + broker.dataDir() + " (" + history + ")");
    out.println("tandem: listening " + listening(broker.boundAddresses(), config.bindAddress()));
    out.println("tandem: ready in " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
    broker.awaitStop();
  }

  /**
   * Reads the logging configuration on a side thread while the command line is parsed: it costs a
   * fifth of start-up. Joined before anything logs, as SLF4J would otherwise queue the early calls
   * and warn when it replays them.
   */
  private static Thread initLoggingInBackground() {
    Thread thread = new Thread(LoggerFactory::getILoggerFactory, "tandem-log-init");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * {@code http=0.0.0.0:15672 amqp=0.0.0.0:5672 kafka=0.0.0.0:9092}, every protocol in order; one
   * without a listener would show as {@code (not yet available)}. A wildcard address is shown as
   * configured: the JDK reports {@code 0.0.0.0} bound dual-stack as {@code ::}.
   */
  static String listening(Map<Protocol, InetSocketAddress> bound, String bindAddress) {
    StringBuilder line = new StringBuilder();
    for (Protocol protocol : Protocol.values()) {
      InetSocketAddress address = bound.get(protocol);
      line.append(line.length() == 0 ? "" : " ").append(protocol.label()).append('=');
      if (address == null) {
        line.append("(not yet available)");
      } else if (address.getAddress().isAnyLocalAddress()) {
        line.append(bindAddress).append(':').append(address.getPort());
      } else if (address.getAddress() instanceof Inet6Address) {
        line.append('[').append(address.getAddress().getHostAddress()).append("]:");
        line.append(address.getPort());
      } else {
        line.append(address.getAddress().getHostAddress()).append(':').append(address.getPort());
      }
    }
    return line.toString();
  }

  @SuppressFBWarnings(value = "DM_EXIT", justification = "the process's exit status is its API")
  private static void fail(int status, String message) {
    System.err.println("tandem: error: " + String.valueOf(message).replaceAll("\\s*\\R\\s*", "; "));
    System.err.flush();
    System.exit(status);
  }
}
