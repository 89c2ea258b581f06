package dev.tuneforge.app.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityAnalyzerTest {
  private static final String STORY =
      "the quick brown fox jumps over the lazy dog while the farmer watches from the old wooden porch and "
          + "thinks about the harvest that is coming next month when the rain finally stops falling on the "
          + "hills behind the village where his grandfather built the first house of stone and timber long ago";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private static String chat(String user, String assistant) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"},{\"role\":\"assistant\",\"content\":\""
        + assistant + "\"}]}";
  }

  private QualityReport quality(boolean dropInvalid, boolean redact, String... lines) throws IOException {
    out.reset();
    DatasetNormalizer normalizer = new DatasetNormalizer(null, dropInvalid, redact);
    normalizer.normalize(new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)), out);
    return normalizer.quality();
  }

  @Test
  void countsExactAndNearDuplicatesSeparately() throws IOException {
    QualityReport q = quality(false, false,
        chat("q", STORY),
        chat("q", STORY),
        chat("q", (STORY + " " + STORY + " " + STORY + " " + STORY).replaceFirst("lazy", "sleepy")),
        chat("q", STORY + " " + STORY + " " + STORY + " " + STORY),
        chat("q", "an entirely different answer about tax invoices, receipts and the total amount due"),
        chat("Q", STORY.toUpperCase()));
    assertThat(q.rows()).isEqualTo(6);
    assertThat(q.exactDuplicates()).isEqualTo(1);
    // One changed word in a long answer and a change of case are near duplicates; the unrelated answer is not.
    assertThat(q.nearDuplicates()).isEqualTo(2);
  }

  @Test
  void countsWhitespaceTurnsAndDroppedRowsWithoutAnAssistant() throws IOException {
    QualityReport q = quality(true, false,
        chat("  \\n\\t", "a"),
        chat("", " "),
        chat("q", "a"),
        "{\"messages\":[{\"role\":\"user\",\"content\":\"only a question\"}]}",
        "{\"prompt\":\"q\",\"completion\":\"a\"}");
    assertThat(q.emptyTurns()).isEqualTo(3);
    assertThat(q.rowsWithEmptyTurn()).isEqualTo(2);
    assertThat(q.rowsWithoutAssistant()).isEqualTo(1);
    assertThat(q.rows()).isEqualTo(3);
  }

  @Test
  void estimatesTokensFromBytesAndCountsRowsOverEachLimit() throws IOException {
    String long3000 = "x".repeat(4 * 3000);
    QualityReport q = quality(false, false, chat("q", "a"), chat("q", long3000), chat("q", "y".repeat(4 * 600)));
    assertThat(q.rowsOverTokens()).containsExactly(
        Map.entry(512, 2), Map.entry(1024, 1), Map.entry(2048, 1), Map.entry(4096, 0));
    assertThat(q.truncatedRows()).isEqualTo(1);
    assertThat(q.maxRowTokens()).isEqualTo(3000);
    assertThat(q.lengthHistogram()).extracting(QualityReport.Bucket::rows).containsExactly(1, 0, 0, 1, 0, 1, 0, 0);
    assertThat(q.lengthHistogram().getLast().label()).isEqualTo(">8192");
  }

  @Test
  void sroieAnswersParseAsJsonWithEveryKeyPresent() throws IOException {
    QualityReport q;
    try (InputStream in = getClass().getResourceAsStream("sroie-5.jsonl")) {
      DatasetNormalizer normalizer = new DatasetNormalizer(null, false, false);
      assertThat(normalizer.normalize(in, null).valid()).isTrue();
      q = normalizer.quality();
    }
    assertThat(q.rows()).isEqualTo(5);
    assertThat(q.jsonAnswers()).isEqualTo(5);
    assertThat(q.extraction()).isTrue();
    assertThat(q.keyPresence()).containsOnlyKeys("company", "date", "address", "total").containsValue(5);
    assertThat(q.exactDuplicates()).isZero();
    assertThat(q.nearDuplicates()).isZero();
  }

  @Test
  void keyPresenceCountsRowsThatHaveEachKey() throws IOException {
    QualityReport q = quality(false, false,
        chat("q", "{\\\"total\\\": \\\"1.00\\\", \\\"date\\\": \\\"x\\\"}"),
        chat("q", "{\\\"total\\\": \\\"2.00\\\"}"),
        chat("q", "{not json"),
        chat("q", "[1, 2]"));
    assertThat(q.jsonAnswers()).isEqualTo(2);
    assertThat(q.keyPresence()).containsExactly(Map.entry("total", 2), Map.entry("date", 1));
  }

  @Test
  void personalDataIsCountedByLineAndRedactedOnlyWhenAsked() throws IOException {
    String[] lines = {
      chat("mail me at jane@example.com", "ok"),
      chat("q", "a"),
      chat("card 4111 1111 1111 1111 and jane@example.com", "ok")
    };
    QualityReport found = quality(false, false, lines);
    assertThat(found.personalData()).containsExactly(
        new QualityReport.PersonalData("EMAIL", 2, 2, List.of(1, 3)),
        new QualityReport.PersonalData("CARD", 1, 1, List.of(3)));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("jane@example.com");
    assertThat(found.redacted()).isFalse();

    QualityReport redacted = quality(false, true, lines);
    assertThat(redacted.personalData()).isEqualTo(found.personalData());
    assertThat(redacted.redacted()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
        chat("mail me at [EMAIL]", "ok"), chat("q", "a"), chat("card [CARD] and [EMAIL]", "ok"));
  }

  @Test
  void theReportSurvivesItsJsonRoundTrip() throws IOException {
    QualityReport q = quality(false, false, chat("jane@example.com", "{\\\"a\\\": 1}"), chat("q", "a"), chat("q", "a"));
    String json = QualityReports.toJson(q);
    assertThat(json).doesNotContain("jane@example.com");
    assertThat(QualityReports.fromJson(json)).isEqualTo(q);
  }
}
