package dev.tuneforge.app.dataset.quality;

import static dev.tuneforge.app.SharedFiles.locate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SROIE receipts' quality figures as the report computed them from decoded strings, one regex
 * scan per kind and a SimHash of 64 counters per shingle: the faster pass must find the same.
 */
class SroieQualityFiguresTest {
  private static QualityReport quality(String file, boolean redact, OutputStream out)
      throws IOException {
    DatasetNormalizer normalizer = new DatasetNormalizer(null, false, redact);
    try (InputStream in = Files.newInputStream(locate("shared/datasets/sroie/" + file))) {
      assertThat(normalizer.normalize(in, out).valid()).isTrue();
    }
    return normalizer.quality();
  }

  @Test
  void trainingReceiptsHaveTheirDuplicatesAndPersonalData() throws IOException {
    QualityReport q = quality("train.jsonl", false, null);
    assertThat(q.rows()).isEqualTo(450);
    assertThat(q.exactDuplicates()).isEqualTo(1);
    assertThat(q.nearDuplicates()).isEqualTo(2);
    assertThat(q.maxRowTokens()).isEqualTo(413);
    assertThat(q.lengthHistogram())
        .extracting(QualityReport.Bucket::rows)
        .containsExactly(1, 327, 122, 0, 0, 0, 0, 0);
    assertThat(q.personalData())
        .containsExactly(
            new QualityReport.PersonalData("EMAIL", 20, 20, List.of(6, 8, 12, 22, 28)),
            new QualityReport.PersonalData("IBAN", 1, 1, List.of(130)),
            new QualityReport.PersonalData("CARD", 18, 17, List.of(22, 83, 92, 123, 133)),
            new QualityReport.PersonalData("PHONE", 336, 219, List.of(3, 4, 5, 6, 7)));
  }

  @Test
  void validationReceiptsAreRedactedAsBefore() throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    QualityReport q = quality("validation.jsonl", true, out);
    assertThat(q.exactDuplicates()).isZero();
    assertThat(q.nearDuplicates()).isZero();
    assertThat(q.personalData())
        .containsExactly(
            new QualityReport.PersonalData("EMAIL", 3, 3, List.of(1, 23, 49)),
            new QualityReport.PersonalData("CARD", 2, 2, List.of(45, 47)),
            new QualityReport.PersonalData("PHONE", 41, 26, List.of(1, 2, 3, 4, 10)));
    String canonical = out.toString(StandardCharsets.UTF_8);
    assertThat(canonical.split("\\[PHONE]", -1)).hasSize(42);
    assertThat(canonical.split("\\[EMAIL]", -1)).hasSize(4);
    assertThat(canonical.split("\\[CARD]", -1)).hasSize(3);
  }
}
