package dev.tuneforge.app.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatasetServiceTest {

  @Test
  void theOriginalIsKeptUnderItsOwnExtension() {
    assertThat(DatasetService.originalFileName("receipts.JSONL")).isEqualTo("original.jsonl");
    assertThat(DatasetService.originalFileName("alpaca.v2.ndjson")).isEqualTo("original.ndjson");
    assertThat(DatasetService.originalFileName("data")).isEqualTo("original");
    assertThat(DatasetService.originalFileName("odd.name with spaces")).isEqualTo("original");
  }
}
