package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.SharedFiles;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.ValidationReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DatasetNormalizerTest {
  private static final String CHAT =
      "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\",\"weight\":1}]}";
  private static final String CANONICAL_QA =
      "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private ValidationReport normalize(
      @Nullable DatasetFormat format, boolean dropInvalid, String... lines) throws IOException {
    out.reset();
    byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    return new DatasetNormalizer(format, dropInvalid)
        .normalize(new ByteArrayInputStream(bytes), out);
  }

  private List<String> written() {
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void chatRowsAreWrittenCanonicallyWithTheirWeights() throws IOException {
    ValidationReport report =
        normalize(
            null,
            false,
            "{\"id\":7,\"messages\":[{\"role\":\"user\",\"content\":\"q\",\"name\":\"x\"},"
                + "{\"role\":\"assistant\",\"content\":\"a \\\"quoted\\\" é\\n\",\"weight\":1}]}");
    assertThat(report.format()).isEqualTo(DatasetFormat.CHAT);
    assertThat(report.valid()).isTrue();
    assertThat(written())
        .containsExactly(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a \\\"quoted\\\" é\\n\",\"weight\":1}]}");
  }

  @Test
  void promptCompletionBecomesAUserAndAnAssistantTurn() throws IOException {
    ValidationReport report =
        normalize(
            null,
            false,
            "{\"prompt\":\"q\",\"completion\":\"a\"}",
            "",
            "{\"completion\":\"a\",\"prompt\":\"q\"}");
    assertThat(report.format()).isEqualTo(DatasetFormat.PROMPT_COMPLETION);
    assertThat(report.rows()).isEqualTo(2);
    assertThat(written()).containsExactly(CANONICAL_QA, CANONICAL_QA);
  }

  @Test
  void promptCompletionProblemsNameTheLineAndTheKey() throws IOException {
    ValidationReport report =
        normalize(
            DatasetFormat.PROMPT_COMPLETION,
            false,
            "{\"prompt\":\"q\",\"completion\":\"a\"}",
            "{\"prompt\":\"q\"}",
            "{\"completion\":\"a\"}",
            "{\"prompt\":1,\"completion\":\"a\"}",
            "{\"prompt\":\"q\",\"completion\":null}",
            "[\"q\",\"a\"]",
            "{\"prompt\":\"q\",\"completion\":\"a\"",
            "{\"prompt\":\"q\",\"completion\":\"a\"} {}");
    assertThat(report.problemCount()).isEqualTo(7);
    assertThat(report.problems().subList(0, 5))
        .containsExactly(
            "line 2: missing \"completion\"",
            "line 3: missing \"prompt\"",
            "line 4: \"prompt\" is not text",
            "line 5: \"completion\" is not text",
            "line 6: expected a JSON object with \"prompt\" and \"completion\"");
    assertThat(report.problems().get(5)).startsWith("line 7: not valid JSON (");
    assertThat(report.problems().get(6)).startsWith("line 8: not valid JSON (Trailing token");
    assertThat(written()).as("a rejected file is not written on").hasSize(1);
  }

  @Test
  void alpacaJoinsInstructionAndInputAndKeepsTheSystemPrompt() throws IOException {
    ValidationReport report =
        normalize(
            null,
            false,
            "{\"instruction\":\"Sum\",\"input\":\"1 2\",\"output\":\"3\",\"system\":\"Be brief\"}",
            "{\"instruction\":\"q\",\"input\":\"\",\"output\":\"a\"}",
            "{\"instruction\":\"q\",\"input\":null,\"output\":\"a\"}");
    assertThat(report.format()).isEqualTo(DatasetFormat.ALPACA);
    assertThat(written())
        .containsExactly(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"Sum\\n\\n1 2\"},"
                + "{\"role\":\"assistant\",\"content\":\"3\"}]}",
            CANONICAL_QA,
            CANONICAL_QA);
  }

  @Test
  void alpacaProblemsNameTheLineAndTheKey() throws IOException {
    ValidationReport report =
        normalize(
            DatasetFormat.ALPACA,
            false,
            "{\"input\":\"x\",\"output\":\"a\"}",
            "{\"instruction\":\"q\"}",
            "{\"instruction\":[],\"output\":\"a\"}",
            "{\"instruction\":\"q\",\"input\":3,\"output\":\"a\"}",
            "{\"instruction\":\"q\",\"output\":\"a\",\"system\":{}}",
            "7");
    assertThat(report.problems())
        .containsExactly(
            "line 1: missing \"instruction\"",
            "line 2: missing \"output\"",
            "line 3: \"instruction\" is not text",
            "line 4: \"input\" is not text",
            "line 5: \"system\" is not text",
            "line 6: expected a JSON object with \"instruction\" and \"output\"");
  }

  @Test
  void shareGptMapsSpeakersToRoles() throws IOException {
    ValidationReport report =
        normalize(
            null,
            false,
            "{\"system\":\"S\",\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},{\"from\":\"gpt\",\"value\":\"a\"}]}",
            "{\"conversations\":[{\"from\":\"user\",\"value\":\"q\"},{\"from\":\"assistant\",\"value\":\"a\"}]}");
    assertThat(report.format()).isEqualTo(DatasetFormat.SHAREGPT);
    assertThat(written())
        .containsExactly(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}]}",
            CANONICAL_QA);
  }

  @Test
  void shareGptProblemsNameTheLineTurnAndReason() throws IOException {
    ValidationReport report =
        normalize(
            DatasetFormat.SHAREGPT,
            false,
            "{\"messages\":[]}",
            "{\"conversations\":{}}",
            "{\"conversations\":[]}",
            "{\"conversations\":[\"hi\"]}",
            "{\"conversations\":[{\"value\":\"q\"}]}",
            "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},{\"from\":\"bot\",\"value\":\"a\"}]}",
            "{\"conversations\":[{\"from\":\"gpt\"}]}",
            "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"}]}",
            "{\"system\":5,\"conversations\":[{\"from\":\"gpt\",\"value\":\"a\"}]}",
            "true");
    assertThat(report.problems())
        .containsExactly(
            "line 1: missing the \"conversations\" array",
            "line 2: missing the \"conversations\" array",
            "line 3: \"conversations\" is empty",
            "line 4: turn 1 is not an object",
            "line 5: turn 1 has no \"from\"",
            "line 6: turn 2 has \"from\" \"bot\"; expected human, gpt, system, function_call or observation",
            "line 7: turn 1 has no text \"value\"",
            "line 8: no gpt turn to learn from",
            "line 9: \"system\" is not text",
            "line 10: expected a JSON object with a \"conversations\" array");
  }

  @Test
  void chatProblemsKeepTheirWording() throws IOException {
    ValidationReport report =
        normalize(
            DatasetFormat.CHAT,
            false,
            "{\"messages\":[{\"role\":\"assistant\",\"content\":\"a\",\"weight\":\"1\"}]}",
            "{\"messages\":[{\"role\":\"assistant\",\"content\":\"a\",\"weight\":{\"x\":1}}]}",
            "{\"messages\":[{\"content\":\"a\"}]}",
            "{\"messages\":[7]}",
            "{\"messages\":{}}",
            "{\"messages\":[{\"role\":\"bot\",\"content\":\"a\"}],\"x\":[1,}");
    assertThat(report.problems().subList(0, 5))
        .containsExactly(
            "line 1: message 1 has \"weight\" \"1\"; expected 0 or 1",
            "line 2: message 1 has \"weight\" {\"x\":1}; expected 0 or 1",
            "line 3: message 1 has no \"role\"",
            "line 4: message 1 is not an object",
            "line 5: missing the \"messages\" array");
    assertThat(report.problems().get(5))
        .as("a syntax error wins over an earlier bad role")
        .startsWith("line 6: not valid JSON (");
  }

  @Test
  void detectsTheFormatFromTheFirstNonBlankLine() {
    assertThat(detect("{\"messages\":[]}")).isEqualTo(DatasetFormat.CHAT);
    assertThat(detect("{\"conversations\":[]}")).isEqualTo(DatasetFormat.SHAREGPT);
    assertThat(detect("{\"instruction\":\"q\",\"output\":\"a\"}")).isEqualTo(DatasetFormat.ALPACA);
    assertThat(detect("{\"output\":\"a\"}")).isEqualTo(DatasetFormat.ALPACA);
    assertThat(detect("{\"completion\":\"a\"}")).isEqualTo(DatasetFormat.PROMPT_COMPLETION);
    assertThat(detect("{\"prompt\":\"q\",\"completion\":\"a\""))
        .isEqualTo(DatasetFormat.PROMPT_COMPLETION);
    assertThat(detect("{\"text\":\"a\"}")).isEqualTo(DatasetFormat.CHAT);
    assertThat(detect("not json")).isEqualTo(DatasetFormat.CHAT);
  }

  @Test
  void detectionSkipsBlankLinesAndAnExplicitFormatOverridesIt() throws IOException {
    assertThat(normalize(null, false, "", "  ", "{\"prompt\":\"q\",\"completion\":\"a\"}").format())
        .isEqualTo(DatasetFormat.PROMPT_COMPLETION);
    ValidationReport forced =
        normalize(DatasetFormat.CHAT, false, "{\"prompt\":\"q\",\"completion\":\"a\"}");
    assertThat(forced.format()).isEqualTo(DatasetFormat.CHAT);
    assertThat(forced.problems()).containsExactly("line 1: missing the \"messages\" array");
  }

  @Test
  void droppingInvalidRowsKeepsTheOthersAndListsEveryDroppedLine() throws IOException {
    ValidationReport report =
        normalize(
            null,
            true,
            "{\"prompt\":\"q\",\"completion\":\"a\"}",
            "{\"prompt\":\"q\"}",
            "",
            "{oops",
            "{\"prompt\":\"q\",\"completion\":\"a\"}");
    assertThat(report.accepted()).isTrue();
    assertThat(report.rows()).isEqualTo(2);
    assertThat(report.droppedRows()).isEqualTo(2);
    assertThat(report.problems()).hasSize(2);
    assertThat(report.problems().get(0)).isEqualTo("line 2: missing \"completion\"");
    assertThat(report.problems().get(1)).startsWith("line 4: not valid JSON (");
    assertThat(report.summary())
        .startsWith("2 rows kept; 2 dropped:\nline 2: missing \"completion\"\nline 4:");
    assertThat(written()).containsExactly(CANONICAL_QA, CANONICAL_QA);
  }

  @Test
  void withoutDroppingAnyProblemRejectsTheUpload() throws IOException {
    ValidationReport report = normalize(null, false, CHAT, "{\"messages\":[]}", CHAT);
    assertThat(report.accepted()).isFalse();
    assertThat(report.problems()).containsExactly("line 2: \"messages\" is empty");
  }

  @Test
  void aFileWhoseRowsAreAllDroppedOrNotUtf8IsStillRejected() throws IOException {
    assertThat(normalize(null, true, "{\"messages\":[]}").accepted()).isFalse();
    byte[] latin1 =
        (CHAT + "\n{\"messages\":[{\"role\":\"assistant\",\"content\":\"caf\u00e9\"}]}\n" + CHAT)
            .getBytes(StandardCharsets.ISO_8859_1);
    ValidationReport report =
        new DatasetNormalizer(null, true).normalize(new ByteArrayInputStream(latin1), out);
    assertThat(report.accepted()).isFalse();
    assertThat(report.problems()).containsExactly("line 2: the file is not UTF-8 text");
  }

  @Test
  void validatesLongAndMultiByteLinesAcrossReadBuffers() throws IOException {
    String content = "ü€😀".repeat(40_000);
    ValidationReport report =
        normalize(
            null,
            false,
            "{\"messages\":[{\"role\":\"assistant\",\"content\":\"" + content + "\"}]}\r",
            CHAT);
    assertThat(report.valid()).isTrue();
    assertThat(report.rows()).isEqualTo(2);
    String first = written().getFirst();
    assertThat(JsonMapper.builder().build().readTree(first).at("/messages/0/content").stringValue())
        .isEqualTo(content);
  }

  @Test
  void theSroieFileIsWrittenBackRowForRow() throws IOException {
    byte[] sroie =
        java.nio.file.Files.readAllBytes(SharedFiles.locate("shared/datasets/sroie/train.jsonl"));
    out.reset();
    ValidationReport report =
        new DatasetNormalizer(null, false).normalize(new ByteArrayInputStream(sroie), out);
    assertThat(report.rows()).isEqualTo(450);
    JsonMapper json = JsonMapper.builder().build();
    List<String> original =
        new String(sroie, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    List<String> canonical = written();
    assertThat(canonical).hasSize(450);
    for (int i = 0; i < 450; i++) {
      assertThat(json.readTree(canonical.get(i)).get("messages"))
          .isEqualTo(json.readTree(original.get(i)).get("messages"));
    }
  }

  private static DatasetFormat detect(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return DatasetNormalizer.detect(bytes, 0, bytes.length);
  }
}
