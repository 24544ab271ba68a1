package dev.tandem.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.storage.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentTest {
  @TempDir Path dir;

  @Test
  void shouldDeleteOnlyItsOwnFilesWhenANewSegmentReusedItsBaseOffset() throws IOException {
    LogSegment removed = LogSegment.create(dir, 100, 1, 0L);
    appendAt(removed, 100, "old");
    removed.seal();
    removed.markDeleted();
    LogSegment reused = LogSegment.create(dir, 100, 1, 0L);
    appendAt(reused, 100, "new");
    reused.seal();

    removed.deleteFiles();

    assertThat(reused.sibling(LogSegment.LOG_SUFFIX)).exists();
    assertThat(reused.sibling(LogSegment.INDEX_SUFFIX)).exists();
    assertThat(reused.sibling(LogSegment.TIME_INDEX_SUFFIX)).exists();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(LogSegment.DELETED_SUFFIX));
    }
    reused.close();
  }

  private static void appendAt(LogSegment segment, long offset, String value) throws IOException {
    ByteBuffer batch = LogContents.batch(1_000L, value);
    new RecordBatch().wrap(batch, 0).baseOffset(offset);
    segment.append(batch, offset);
  }
}
