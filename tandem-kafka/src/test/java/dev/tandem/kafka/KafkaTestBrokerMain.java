package dev.tandem.kafka;

import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;

/**
 * Runs a {@link KafkaTestBroker} until the process is stopped, for trying Kafka's command-line
 * tools against the Kafka protocol before the server wires it in. Prints {@code
 * bootstrap=HOST:PORT} once listening.
 *
 * <pre>
 *   java -cp ... dev.tandem.kafka.KafkaTestBrokerMain DATA_DIR
 * </pre>
 */
final class KafkaTestBrokerMain {
  private KafkaTestBrokerMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "target/test-broker-data");
    KafkaTestBroker broker = new KafkaTestBroker(dataDir, LogConfig.DEFAULT).start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    broker.close();
                  } catch (Exception e) {
                    System.err.println("closing the broker failed: " + e);
                  }
                }));
    System.out.println("bootstrap=" + broker.bootstrap());
    Thread.currentThread().join();
  }
}
