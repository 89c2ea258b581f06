package dev.tuneforge.app.usage.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.usage.JobSpend;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The "By job" chart's bars: one per job, labelled as its pages label it, never two alike. */
class ByJobLabelsTest {

  @Test
  void twoJobsOfOneLabelGetTheirIdsFirstCharactersAndOthersTheirLabelAlone() {
    UUID first = UUID.fromString("11111111-0000-0000-0000-000000000000");
    UUID second = UUID.fromString("22222222-0000-0000-0000-000000000000");
    JobSpend a = new JobSpend(first, "receipts", "receipts", new BigDecimal("4"));
    JobSpend b = new JobSpend(second, "receipts", "receipts", new BigDecimal("1"));
    JobSpend named =
        new JobSpend(UUID.randomUUID(), "receipts", "v2 (receipts)", new BigDecimal("0.5"));

    assertThat(UsageView.jobLabels(List.of(a, b, named)).values())
        .containsExactly("receipts · 11111111", "receipts · 22222222", "v2 (receipts)");
  }
}
