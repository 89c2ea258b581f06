package dev.tuneforge.app.dataset.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The exact-duplicate hash counts as duplicates exactly the rows whose roles and texts are equal:
 * short texts of four characters make equal rows common, and rows that differ only in where one
 * message ends and the next begins ({@code "ab","a"} and {@code "a","ba"}) or in a role.
 */
class ExactDuplicateHashTest {
  private static final String[] ALPHABET = {"a", "b", " ", "é"};

  @Test
  void countsTheRowsWhoseRolesAndTextsAreEqual() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    Set<List<String>> distinct = new HashSet<>();
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < 20_000; r++) {
      List<String> row = new ArrayList<>();
      StringBuilder line = new StringBuilder("{\"messages\":[");
      int pairs = 1 + random.nextInt(2);
      boolean system = random.nextInt(4) == 0;
      if (system) {
        String text = text(random);
        row.add("system:" + text);
        line.append("{\"role\":\"system\",\"content\":\"").append(text).append("\"},");
      }
      for (int p = 0; p < pairs; p++) {
        String question = text(random);
        String answer = text(random);
        row.add("user:" + question);
        row.add("assistant:" + answer);
        line.append(p > 0 ? "," : "")
            .append("{\"role\":\"user\",\"content\":\"")
            .append(question)
            .append("\"},")
            .append("{\"role\":\"assistant\",\"content\":\"")
            .append(answer)
            .append("\"}");
      }
      distinct.add(row);
      lines.add(line.append("]}").toString());
    }
    DatasetNormalizer normalizer = new DatasetNormalizer(null, false, false);
    normalizer.normalize(
        new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream());
    QualityReport quality = normalizer.quality();
    assertThat(quality.rows()).isEqualTo(lines.size());
    assertThat(quality.exactDuplicates()).isEqualTo(lines.size() - distinct.size());
    assertThat(quality.exactDuplicates()).isBetween(1000, lines.size() - 1000);
  }

  private static String text(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(random.nextInt(10) == 0 ? 40 : 4);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return text.toString();
  }
}
