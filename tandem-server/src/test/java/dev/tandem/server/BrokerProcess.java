package dev.tandem.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A broker run as a child JVM on the test class path, as {@code bin/tandem} runs it: stdout lines
 * are queued for the test to wait on, stderr lines are kept. Not thread-safe; one test owns it.
 */
final class BrokerProcess implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<String> stdoutSeen = new ArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private BrokerProcess(Process process) {
    this.process = process;
    this.stdoutPump = pump(process.getInputStream(), stdout::add, "stdout");
    this.stderrPump = pump(process.getErrorStream(), stderr::add, "stderr");
  }

  static BrokerProcess start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    command.addAll(List.of("-cp", classPath(), Main.class.getName()));
    command.addAll(List.of(args));
    return new BrokerProcess(new ProcessBuilder(command).directory(workDir.toFile()).start());
  }

  private static String classPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  /** Waits for a stdout line starting with {@code prefix} and returns it. */
  String awaitLine(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String line = stdout.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        stdoutSeen.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      } else if (!process.isAlive() && stdout.isEmpty()) {
        break;
      }
    }
    throw new AssertionError(
        "no line starting with '" + prefix + "'; stdout " + stdoutSeen + "; stderr " + stderr);
  }

  /** Waits for the process to exit and returns its status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("broker did not exit; stderr " + stderr);
    }
    stdoutPump.join(TIMEOUT.toMillis());
    stderrPump.join(TIMEOUT.toMillis());
    return process.exitValue();
  }

  /**
   * Sends SIGTERM. Through the process handle: {@link Process#destroy()} also closes our ends of
   * the pipes, and the broker's last lines would be lost.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  List<String> stderr() {
    return List.copyOf(stderr);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static Thread pump(
      InputStream in, java.util.function.Consumer<String> sink, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // The process is gone; what it wrote has been read.
              }
            },
            "broker-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
