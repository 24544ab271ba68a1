package dev.tandem.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.LogDirectory;
import dev.tandem.storage.log.LogConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckLogTest {
  @TempDir Path dir;

  @Test
  void shouldRecoverAcksTheDeliveredMarkAndTheOffsetsDeliveredAboveIt() throws Exception {
    try (LogDirectory directory = LogDirectory.open(dir)) {
      AckLog acks = new AckLog(directory.openLog("acks", LogConfig.DEFAULT));
      acks.recover(0);
      acks.onDelivered(4);
      acks.onDeliveredAbove(9);
      acks.onDeliveredAbove(7);
      acks.onAcked(2);
      acks.flush();
      acks.onAcked(7);
      acks.onDelivered(5);
      acks.flush();
    }

    try (LogDirectory directory = LogDirectory.open(dir)) {
      AckLog.Recovered recovered =
          new AckLog(directory.openLog("acks", LogConfig.DEFAULT)).recover(3);
      assertThat(recovered.deliveredUpTo()).isEqualTo(6);
      assertThat(recovered.acked()).containsExactly(7L);
      assertThat(recovered.deliveredAbove()).containsExactly(7L, 9L);
    }
  }
}
