package dev.tandem.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class KeyPartitionerTest {
  private final KeyPartitioner partitioner = new KeyPartitioner();

  @Property
  void shouldPickThePartitionKafkasDefaultPartitionerPicksForAKey(
      @ForAll byte[] key, @ForAll @IntRange(min = 1, max = 1000) int partitions) {
    int kafka = Utils.toPositive(Utils.murmur2(key)) % partitions;
    assertThat(partitioner.partition(key, partitions)).isEqualTo(kafka);
  }

  @Test
  void shouldHashRoutingKeysAsKafkaHashesRecordKeys() {
    byte[] key = "user.registered".getBytes(StandardCharsets.UTF_8);
    assertThat(KeyPartitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
  }

  @Test
  void shouldSpreadRecordsWithoutAKeyOverEveryPartition() {
    int[] counts = new int[3];
    for (int i = 0; i < 30; i++) {
      counts[partitioner.partition(null, 3)]++;
    }
    assertThat(counts).containsExactly(10, 10, 10);
  }
}
