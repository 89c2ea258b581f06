package dev.tuneforge.app.dataset.ingest;

import static dev.tuneforge.app.SharedFiles.locate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.ValidationReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChatJsonlValidatorTest {
  private static final String GOOD =
      "{\"messages\":[{\"role\":\"system\",\"content\":\"Extract.\"},{\"role\":\"user\",\"content\":\"Receipt\"},"
          + "{\"role\":\"assistant\",\"content\":\"{}\"}]}";

  private static ValidationReport validate(String text) throws IOException {
    return new ChatJsonlValidator()
        .validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void acceptsTheSroieTrainingFileRowByRow() throws IOException {
    Path sroie = locate("shared/datasets/sroie/train.jsonl");
    try (var in = Files.newInputStream(sroie)) {
      ValidationReport report = new ChatJsonlValidator().validate(in);
      assertThat(report.valid()).isTrue();
      assertThat(report.rows()).isEqualTo(450);
    }
  }

  @Test
  void namesTheLineAndReasonOfEveryProblem() throws IOException {
    String text =
        String.join(
            "\n",
            GOOD,
            "{not json",
            "{\"messages\":[]}",
            "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"messages\":[{\"role\":\"assistant\",\"content\":\"x\",\"weight\":2}]}",
            "{\"messages\":[{\"role\":\"assistant\",\"content\":5}]}",
            "[1,2]",
            GOOD);
    ValidationReport report = validate(text);
    assertThat(report.valid()).isFalse();
    assertThat(report.rows()).isEqualTo(2);
    assertThat(report.problemCount()).isEqualTo(7);
    assertThat(report.problems())
        .containsExactly(
            report.problems().get(0),
            "line 3: \"messages\" is empty",
            "line 4: message 1 has role \"bot\"; expected system, user, assistant or tool",
            "line 5: no assistant message to learn from",
            "line 6: message 1 has \"weight\" 2; expected 0 or 1",
            "line 7: message 1 has no text \"content\"",
            "line 8: expected a JSON object with a \"messages\" array");
    assertThat(report.problems().get(0)).startsWith("line 2: not valid JSON");
  }

  @Test
  void anAssistantTurnWithWeightZeroIsNotEnoughToLearnFrom() throws IOException {
    ValidationReport report =
        validate(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\",\"weight\":0}]}");
    assertThat(report.problems()).containsExactly("line 1: no assistant message to learn from");
  }

  @Test
  void anEmptyFileIsRejected() throws IOException {
    assertThat(validate("").problems())
        .containsExactly("the file is empty: it has no conversations");
    assertThat(validate("\n  \n").valid()).isFalse();
  }

  @Test
  void listsTheFirstProblemsAndCountsTheRest() throws IOException {
    String text = "x\n".repeat(ChatJsonlValidator.MAX_LISTED_PROBLEMS + 50);
    ValidationReport report = validate(text);
    assertThat(report.problems()).hasSize(ChatJsonlValidator.MAX_LISTED_PROBLEMS);
    assertThat(report.problemCount()).isEqualTo(ChatJsonlValidator.MAX_LISTED_PROBLEMS + 50);
    assertThat(report.summary()).endsWith("… and 50 more problems");
  }

  @Test
  void rejectsTextThatIsNotUtf8() throws IOException {
    byte[] latin1 =
        (GOOD + "\n{\"messages\":[{\"role\":\"assistant\",\"content\":\"caf\u00e9\"}]}")
            .getBytes(StandardCharsets.ISO_8859_1);
    ValidationReport report = new ChatJsonlValidator().validate(new ByteArrayInputStream(latin1));
    assertThat(report.problems()).containsExactly("line 2: the file is not UTF-8 text");
  }
}
