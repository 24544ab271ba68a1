package dev.tandem.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.log.Log;
import dev.tandem.storage.log.LogContents;
import dev.tandem.storage.log.LogContents.Entry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 with a real process: {@link CrashAppender} appends from several threads under fsync
 * durability and prints what it was told is durable; the test kills it at a random moment, reopens
 * the directory and checks that every acknowledged record is there, intact. Each cycle appends to
 * the same directory again, so recovery runs over a growing log.
 */
class CrashRecoveryTest {
  @TempDir Path dir;
  private final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
  private final List<String> duplicates = new CopyOnWriteArrayList<>();
  private final Random random = new Random();

  @Test
  void shouldKeepEveryAcknowledgedRecordAfterSigkill() throws Exception {
    runCycles(3);
  }

  @Test
  @Tag("slow")
  void shouldKeepEveryAcknowledgedRecordAcrossManySigkills() throws Exception {
    runCycles(25);
  }

  private void runCycles(int cycles) throws Exception {
    for (int cycle = 0; cycle < cycles; cycle++) {
      int acknowledgedBefore = acknowledged.size();
      appendUntilKilled(100 + random.nextInt(701));
      assertThat(acknowledged.size())
          .as("acknowledgements in cycle %d", cycle)
          .isGreaterThan(acknowledgedBefore);
      checkEveryAcknowledgedRecordIsThere(cycle);
    }
  }

  private void appendUntilKilled(int runMs) throws Exception {
    Process child = ChildJvm.start(CrashAppender.class, dir.toString(), "4");
    CountDownLatch firstAck = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  onLine(line, firstAck);
                }
              } catch (IOException e) {
                // the pipe closes when the child dies
              }
            });
    reader.start();
    try {
      // The random window starts with the first acknowledgement: a cold JVM on a busy machine may
      // take longer than the whole window to get its first append through.
      assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("first acknowledgement").isTrue();
      Thread.sleep(runMs);
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux
      child.waitFor(30, TimeUnit.SECONDS);
    }
    reader.join(30_000);
    assertThat(duplicates).as("offsets acknowledged twice").isEmpty();
    assertThat(child.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
  }

  /** Keeps only whole lines: the last one may be cut by the kill. */
  private void onLine(String line, CountDownLatch firstAck) {
    String[] parts = line.split(" ");
    if (parts.length == 4 && parts[0].equals("ack") && parts[3].equals("end")) {
      firstAck.countDown();
      if (acknowledged.put(Long.parseLong(parts[1]), parts[2]) != null) {
        duplicates.add(parts[1]);
      }
    }
  }

  private void checkEveryAcknowledgedRecordIsThere(int cycle) throws IOException {
    try (LogDirectory directory = LogDirectory.open(dir)) {
      assertThat(directory.wasCleanShutdown()).as("a killed broker is no clean shutdown").isFalse();
      Log log = directory.openLog(CrashAppender.LOG, CrashAppender.CONFIG);
      List<Entry> records = LogContents.readAll(log);
      assertThat(log.startOffset()).isZero();
      assertThat(records).hasSize((int) log.endOffset());
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).as("dense offsets").isEqualTo(i);
      }
      for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
        int offset = Math.toIntExact(ack.getKey());
        assertThat(offset).as("acknowledged offset in cycle %d", cycle).isLessThan(records.size());
        assertThat(records.get(offset).value())
            .as("value at acknowledged offset %d", offset)
            .isEqualTo(HexFormat.of().formatHex(ack.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
  }
}
