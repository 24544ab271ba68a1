package dev.tandem.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker in a child JVM (the real main, on the test class path), so a test can SIGKILL it. It
 * binds free ports the first time and the same ports on every restart.
 */
final class BrokerProcess implements AutoCloseable {
  private static final Pattern AMQP = Pattern.compile(" amqp=\\S+:(\\d+)");
  private static final Pattern KAFKA = Pattern.compile(" kafka=\\S+:(\\d+)");

  private final Path dataDir;
  private int amqpPort;
  private int kafkaPort;
  private Process process;

  BrokerProcess(Path dataDir) {
    this.dataDir = dataDir;
  }

  BrokerProcess start() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.tandem.server.Main"));
    command.addAll(List.of("--data-dir", dataDir.toString(), "--http-port", "0"));
    command.addAll(
        List.of(
            "--amqp-port",
            Integer.toString(amqpPort),
            "--kafka-port",
            Integer.toString(kafkaPort)));
    command.addAll(List.of("--advertised-host", "127.0.0.1"));
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while ((line = out.readLine()) != null) {
      Matcher amqp = AMQP.matcher(line);
      if (amqp.find()) {
        amqpPort = Integer.parseInt(amqp.group(1));
      }
      Matcher kafka = KAFKA.matcher(line);
      if (kafka.find()) {
        kafkaPort = Integer.parseInt(kafka.group(1));
      }
      if (line.startsWith("tandem: ready")) {
        drain(out);
        return this;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new IOException("broker did not start; last line: " + line);
  }

  /** Copies the child's output to the test's, so it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread thread =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  System.out.println("broker: " + line);
                }
              } catch (IOException e) {
                // the child is gone
              }
            },
            "broker-output");
    thread.setDaemon(true);
    thread.start();
  }

  int kafkaPort() {
    return kafkaPort;
  }

  int amqpPort() {
    return amqpPort;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.toHandle().destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
