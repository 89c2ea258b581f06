package dev.tuneforge.app.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What is wrong with a run request is named before anything is saved. */
class TeacherRunRequestTest {
  private static final ExtractionSchema SCHEMA = ExtractionSchema.parse("total: amount paid");

  @Test
  void eachProblemIsNamed() {
    assertThat(request(" ", "receipts", 2, 2, 2, 0.7).problem()).startsWith("Give the run a name");
    assertThat(request("r", " ", 2, 2, 2, 0.7).problem())
        .isEqualTo("Describe the domain the documents come from");
    assertThat(request("r", "receipts", 0, 2, 2, 0.7).problem())
        .contains("must each be at least 1");
    assertThat(request("r", "receipts", 100, 10, 11, 0.7).problem())
        .isEqualTo("That is 11000 documents; a run writes at most 10000");
    assertThat(request("r", "receipts", 2, 2, 2, 2.5).problem())
        .isEqualTo("Temperature must be between 0 and 2");
    assertThat(request("r", "receipts", 2, 2, 2, 0.7).problem()).isNull();
    assertThat(
            new TeacherRunRequest(UUID.randomUUID(), "r", "d", SCHEMA, 1, 1, 1, 0.7, 1, true, 10)
                .problem())
        .isEqualTo(
            "The preference margin must be between 1 and 9 points (the judge scores 1 to 10)");
    assertThat(
            new TeacherRunRequest(UUID.randomUUID(), "r", "d", SCHEMA, 1, 1, 1, 0.7, 1, true, 1)
                .problem())
        .isNull();
  }

  private static TeacherRunRequest request(
      String name, String domain, int c, int s, int d, double temperature) {
    return new TeacherRunRequest(UUID.randomUUID(), name, domain, SCHEMA, c, s, d, temperature, 1);
  }
}
