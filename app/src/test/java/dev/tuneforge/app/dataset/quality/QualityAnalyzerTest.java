package dev.tuneforge.app.dataset.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QualityAnalyzerTest {
  private static final String STORY =
      "the quick brown fox jumps over the lazy dog while the farmer watches from the old wooden porch and "
          + "thinks about the harvest that is coming next month when the rain finally stops falling on the "
          + "hills behind the village where his grandfather built the first house of stone and timber long ago";

  /**
   * With {@link #STORY}, a long answer that is not a near duplicate of the story alone (the story
   * repeated would be: a SimHash weighs shingles by how often they occur).
   */
  private static final String SEQUEL =
      "years later the granddaughter sold the orchard to a cooperative of cider makers who planted new "
          + "trees along the river, repaired the mill with copper gears and opened a shop on the market square "
          + "where tourists now taste seven kinds of apple brandy before taking the evening train back home";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private static String chat(String user, String assistant) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":\""
        + user
        + "\"},{\"role\":\"assistant\",\"content\":\""
        + assistant
        + "\"}]}";
  }

  private QualityReport quality(boolean dropInvalid, boolean redact, String... lines)
      throws IOException {
    out.reset();
    DatasetNormalizer normalizer = new DatasetNormalizer(null, dropInvalid, redact);
    normalizer.normalize(
        new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)), out);
    return normalizer.quality();
  }

  @Test
  void rowsWithPlaceholdersLeftInAreCountedWithTheirLinesAndJsonAnswersAreNot() throws IOException {
    QualityReport q =
        quality(
            false,
            false,
            chat("Dear {{name}}, where is my order?", "It shipped."),
            chat("Receipt total RM 30.00", "{\\\"total\\\": \\\"30.00\\\", \\\"items\\\": {}}"),
            chat("Sign the letter", "Regards, [Insert name here] TODO"),
            chat("Plain question", "Plain answer"));

    assertThat(q.placeholders()).isNotNull();
    assertThat(q.placeholders().rows()).isEqualTo(2);
    assertThat(q.placeholders().examples())
        .containsExactly(
            new QualityReport.Placeholders.Example(1, "{{name}}"),
            new QualityReport.Placeholders.Example(3, "[Insert name here]"));
  }

  @Test
  void countsExactAndNearDuplicatesSeparately() throws IOException {
    QualityReport q =
        quality(
            false,
            false,
            chat("q", STORY),
            chat("q", STORY),
            chat(
                "q", (STORY + " " + SEQUEL + " ").repeat(4).strip().replaceFirst("lazy", "sleepy")),
            chat("q", (STORY + " " + SEQUEL + " ").repeat(4).strip()),
            chat(
                "q",
                "an entirely different answer about tax invoices, receipts and the total amount due"),
            chat("Q", STORY.toUpperCase()));
    assertThat(q.rows()).isEqualTo(6);
    assertThat(q.exactDuplicates()).isEqualTo(1);
    // One changed word in a long answer and a change of case are near duplicates; the unrelated
    // answer is not.
    assertThat(q.nearDuplicates()).isEqualTo(2);
  }

  @Test
  void countsWhitespaceTurnsAndDroppedRowsWithoutAnAssistant() throws IOException {
    QualityReport q =
        quality(
            true,
            false,
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
    QualityReport q =
        quality(false, false, chat("q", "a"), chat("q", long3000), chat("q", "y".repeat(4 * 600)));
    assertThat(q.rowsOverTokens())
        .containsExactly(
            Map.entry(512, 2), Map.entry(1024, 1), Map.entry(2048, 1), Map.entry(4096, 0));
    assertThat(q.truncatedRows()).isEqualTo(1);
    assertThat(q.maxRowTokens()).isEqualTo(3000);
    assertThat(q.lengthHistogram())
        .extracting(QualityReport.Bucket::rows)
        .containsExactly(1, 0, 0, 1, 0, 1, 0, 0);
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
    assertThat(q.keyPresence())
        .containsOnlyKeys("company", "date", "address", "total")
        .containsValue(5);
    assertThat(q.exactDuplicates()).isZero();
    assertThat(q.nearDuplicates()).isZero();
  }

  @Test
  void keyPresenceCountsRowsThatHaveEachKey() throws IOException {
    QualityReport q =
        quality(
            false,
            false,
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
    assertThat(found.personalData())
        .containsExactly(
            new QualityReport.PersonalData("EMAIL", 2, 2, List.of(1, 3)),
            new QualityReport.PersonalData("CARD", 1, 1, List.of(3)));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("jane@example.com");
    assertThat(found.redacted()).isFalse();

    QualityReport redacted = quality(false, true, lines);
    assertThat(redacted.personalData()).isEqualTo(found.personalData());
    assertThat(redacted.redacted()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8).split("\n"))
        .containsExactly(
            chat("mail me at [EMAIL]", "ok"),
            chat("q", "a"),
            chat("card [CARD] and [EMAIL]", "ok"));
  }

  @Test
  void theReportSurvivesItsJsonRoundTrip() throws IOException {
    QualityReport q =
        quality(
            false,
            false,
            chat("jane@example.com", "{\\\"a\\\": 1}"),
            chat("q", "a"),
            chat("q", "a"));
    String json = QualityReports.toJson(q);
    assertThat(json).doesNotContain("jane@example.com");
    assertThat(QualityReports.fromJson(json)).isEqualTo(q);
  }

  /**
   * Shingling works on chunks of a text without a branch per char; its features are those of the
   * plain definition (split into {@code \\w+} words, lower-cased, five words a shingle) also for
   * texts longer than a chunk, with words that cross from one chunk into the next.
   */
  @Test
  void shinglesAreThoseOfTheWordsWhereverAChunkEnds() {
    QualityAnalyzer analyzer = new QualityAnalyzer(false, QualityReport.DEFAULT_MAX_TOKENS);
    SplittableRandom random = new SplittableRandom(7);
    String[] pieces = {
      "a", "Receipt", "TOTAL_12", " ", "  ", "\n", "-", "é", "東京", "x".repeat(30), "9"
    };
    for (int length : new int[] {0, 3, 40, 4095, 4096, 4097, 8192, 12_345}) {
      StringBuilder text = new StringBuilder();
      while (text.length() < length) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      text.setLength(length);
      assertThat(analyzer.shingles(text.toString()))
          .as("length %d", length)
          .containsExactly(shingles(text.toString()));
    }
  }

  @Test
  void countsUtf8BytesAsTheEncoderDoes() {
    SplittableRandom random = new SplittableRandom(9);
    String[] pieces = {
      "a", " ", "é", "€", "東京", "😀", "\u07ff", "\u0800", "\uffff", "\u007f", "\u0080", "\uD7FF",
      "\uE000"
    };
    for (int t = 0; t < 5_000; t++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(20); n > 0; n--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      char[] chars = ("«" + text + "»").toCharArray();
      assertThat(QualityAnalyzer.utf8Length(chars, 1, text.length()))
          .as(text.toString())
          .isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8).length);
    }
  }

  private static long[] shingles(String text) {
    List<Long> words = new ArrayList<>();
    Matcher m = Pattern.compile("[A-Za-z0-9_]+").matcher(text);
    while (m.find()) {
      long packed = 0;
      for (char c : m.group().toLowerCase(Locale.ROOT).toCharArray()) {
        packed = Long.rotateLeft(packed, 7) ^ c;
      }
      words.add(QualityAnalyzer.mix(packed));
    }
    if (words.isEmpty()) {
      return new long[0];
    }
    if (words.size() < QualityAnalyzer.SHINGLE) {
      long[] last = new long[4];
      for (int w = 0; w < words.size(); w++) {
        last[4 - words.size() + w] = words.get(w);
      }
      return new long[] {
        QualityAnalyzer.mix(
            last[3]
                ^ Long.rotateLeft(last[2], 13)
                ^ Long.rotateLeft(last[1], 26)
                ^ Long.rotateLeft(last[0], 39)
                ^ words.size())
      };
    }
    long[] shingles = new long[words.size() - 4];
    for (int s = 0; s < shingles.length; s++) {
      shingles[s] =
          words.get(s + 4)
              ^ Long.rotateLeft(words.get(s + 3), 13)
              ^ Long.rotateLeft(words.get(s + 2), 26)
              ^ Long.rotateLeft(words.get(s + 1), 39)
              ^ Long.rotateLeft(words.get(s), 52);
    }
    return shingles;
  }
}
