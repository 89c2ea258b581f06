package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version derived from a stored one: personal data redacted, duplicate rows removed, sides kept.
 */
class DerivedVersionTest {
  private static final String A = row("total?", "9.00");
  private static final String B = row("mail me at jane.doe@example.com", "ok");
  private static final String C = row("date?", "2018-03-30");

  @TempDir Path dir;

  private static String row(String user, String assistant) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":\""
        + user
        + "\"},{\"role\":\"assistant\",\"content\":\""
        + assistant
        + "\"}]}";
  }

  @Test
  void duplicatesAreRemovedAcrossTrainingAndValidation() throws IOException {
    Path train = Files.writeString(dir.resolve("train.jsonl"), A + "\n" + B + "\n" + A + "\n");
    Path validation = Files.writeString(dir.resolve("validation.jsonl"), A + "\n" + C + "\n");
    try (NormalizedUpload derived = NormalizedUpload.derive(train, validation, false, true)) {
      assertThat(derived.trainRows()).isEqualTo(2);
      assertThat(derived.validationRows()).isEqualTo(1);
      assertThat(derived.duplicatesRemoved()).isEqualTo(2);
      assertThat(Files.readAllLines(derived.train())).containsExactly(A, B);
      assertThat(Files.readAllLines(derived.validation())).containsExactly(C);
      assertThat(derived.quality().personalData()).isNotEmpty();
    }
  }

  @Test
  void redactionReplacesPersonalDataAndKeepsEveryRow() throws IOException {
    Path train = Files.writeString(dir.resolve("train.jsonl"), A + "\n" + B + "\n" + A + "\n");
    try (NormalizedUpload derived = NormalizedUpload.derive(train, null, true, false)) {
      assertThat(derived.trainRows()).isEqualTo(3);
      assertThat(derived.validationRows()).isZero();
      assertThat(Files.readAllLines(derived.train()))
          .containsExactly(A, row("mail me at [EMAIL]", "ok"), A);
      assertThat(derived.quality().redacted()).isTrue();
    }
  }
}
