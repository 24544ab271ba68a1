package dev.tandem.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentTableTest {
  @Test
  void shouldRoundTripEveryKindOfValueWithIntegersAsLongs() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("int", 7);
    table.put("double", 1.5);
    table.put("decimal", new BigDecimal("3.25"));
    table.put("text", "pdf");
    table.put("flag", true);
    table.put("void", null);
    table.put("time", new Date(1_000));
    table.put("list", List.of(1L, "two"));
    table.put("nested", Map.of("k", "v"));

    Map<String, Object> back = ArgumentTable.decode(ArgumentTable.encode(table));

    assertThat(back.keySet()).containsExactlyElementsOf(table.keySet());
    assertThat(back)
        .containsEntry("int", 7L)
        .containsEntry("double", 1.5)
        .containsEntry("decimal", new BigDecimal("3.25"))
        .containsEntry("text", "pdf")
        .containsEntry("flag", true)
        .containsEntry("void", null)
        .containsEntry("time", new Date(1_000))
        .containsEntry("list", List.of(1L, "two"))
        .containsEntry("nested", Map.of("k", "v"));
  }

  @Test
  void shouldEncodeStringsLongerThanModifiedUtf8AllowsAndKeepShortOnesAsBefore() {
    String longText = "é".repeat(40_000);
    Map<String, Object> table = new HashMap<>();
    table.put("long", longText);
    assertThat(ArgumentTable.decode(ArgumentTable.encode(table))).containsEntry("long", longText);

    byte[] shortOne = ArgumentTable.encode(Map.of("k", "v"));
    assertThat(shortOne).containsExactly('F', 0, 0, 0, 1, 0, 1, 'k', 'S', 0, 1, 'v');
    byte[] bytes = ArgumentTable.encode(Map.of("b", new byte[] {9}));
    assertThat(Arrays.copyOfRange(bytes, bytes.length - 6, bytes.length))
        .containsExactly('B', 0, 0, 0, 1, 9);
  }
}
