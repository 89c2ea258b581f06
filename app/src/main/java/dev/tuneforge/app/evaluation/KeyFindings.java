package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keys one model got wrong as keys, counted apart from the fields: <em>unexpected</em> keys (paths
 * in an answer that no expected answer of the set has, such as an invented {@code adddres}) and
 * <em>missing</em> keys (paths the example expects that a valid answer left out; invalid answers
 * count under JSON validity instead).
 *
 * @param answers every answer of the set, the "of N"
 * @param unexpected the commonest unexpected keys, by answers having them, at most {@link #LISTED}
 * @param missing the commonest missing keys, by answers missing them, at most {@link #LISTED}
 */
public record KeyFindings(
    int answers,
    int answersWithUnexpected,
    List<KeyCount> unexpected,
    int answersWithMissing,
    List<KeyCount> missing) {
  static final int LISTED = 10;

  /** A key path and the number of answers it concerns. */
  public record KeyCount(String path, int answers) {}

  public KeyFindings {
    unexpected = List.copyOf(unexpected);
    missing = List.copyOf(missing);
  }

  static KeyFindings of(List<ExampleScore> examples, Set<String> expectedPaths) {
    Map<String, Integer> unexpected = new TreeMap<>();
    Map<String, Integer> missing = new TreeMap<>();
    int withUnexpected = 0;
    int withMissing = 0;
    for (ExampleScore example : examples) {
      if (!example.validJson()) {
        continue;
      }
      Set<String> invented =
          example.fields().stream()
              .map(FieldComparison.Outcome::path)
              .filter(p -> !expectedPaths.contains(p))
              .collect(Collectors.toSet());
      Set<String> left =
          example.fields().stream()
              .filter(f -> f.status() == FieldComparison.Status.MISSING)
              .map(FieldComparison.Outcome::path)
              .collect(Collectors.toSet());
      invented.forEach(p -> unexpected.merge(p, 1, Integer::sum));
      left.forEach(p -> missing.merge(p, 1, Integer::sum));
      withUnexpected += invented.isEmpty() ? 0 : 1;
      withMissing += left.isEmpty() ? 0 : 1;
    }
    return new KeyFindings(
        examples.size(), withUnexpected, commonest(unexpected), withMissing, commonest(missing));
  }

  private static List<KeyCount> commonest(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .map(e -> new KeyCount(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingInt(KeyCount::answers).reversed())
        .limit(LISTED)
        .toList();
  }

  /** "unexpected keys in 12 of 126 answers: adddres (7), adress (3)", or that there were none. */
  public String unexpectedText() {
    return text("unexpected keys", answersWithUnexpected, unexpected);
  }

  /** "missing keys in 5 of 126 answers: total (4), date (1)", or that there were none. */
  public String missingText() {
    return text("missing keys", answersWithMissing, missing);
  }

  private String text(String what, int count, List<KeyCount> keys) {
    if (count == 0) {
      return "no " + what + " in " + answers + " answers";
    }
    return what
        + " in "
        + count
        + " of "
        + answers
        + " answers: "
        + keys.stream()
            .map(k -> k.path() + " (" + k.answers() + ")")
            .collect(Collectors.joining(", "));
  }
}
