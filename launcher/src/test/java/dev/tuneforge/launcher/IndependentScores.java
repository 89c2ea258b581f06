package dev.tuneforge.launcher;

import dev.tuneforge.protocol.EvaluationExample;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Some of an evaluation's figures computed again from the generations by code of its own, written
 * from docs/evaluation.md and sharing nothing with the app's evaluation package: JSON validity,
 * text match and ROUGE-L, each the mean over the examples, the answers with unexpected keys, and
 * the bootstrap interval of the JSON validity's change given the resample indices.
 */
final class IndependentScores {
  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private IndependentScores() {}

  record Figures(double jsonValidity, double textMatch, double rougeL) {}

  static Figures base(List<EvaluationExample> generations) {
    return of(generations, EvaluationExample::baseOutput);
  }

  static Figures tuned(List<EvaluationExample> generations) {
    return of(generations, EvaluationExample::tunedOutput);
  }

  private static Figures of(
      List<EvaluationExample> generations, Function<EvaluationExample, String> output) {
    double valid = 0;
    double matches = 0;
    double rouge = 0;
    for (EvaluationExample example : generations) {
      String answer = output.apply(example);
      valid += isJsonObject(answer) ? 1 : 0;
      matches += squeeze(answer).equals(squeeze(example.expected())) ? 1 : 0;
      rouge += rougeL(words(answer), words(example.expected()));
    }
    int n = generations.size();
    return new Figures(valid / n, matches / n, rouge / n);
  }

  /** A JSON object, alone or inside one fence of three backticks (optionally tagged json). */
  static boolean isJsonObject(String text) {
    return object(text) != null;
  }

  /** The answer's JSON object, or null when it is not one. */
  static @Nullable JsonNode object(String text) {
    String body = text.strip();
    if (body.startsWith("```") && body.endsWith("```") && body.length() >= 6) {
      int lineEnd = body.indexOf('\n');
      String tag = lineEnd < 0 ? "" : body.substring(3, lineEnd).strip();
      if (lineEnd < 0 || !(tag.isEmpty() || tag.equalsIgnoreCase("json"))) {
        return null;
      }
      body = body.substring(lineEnd + 1, body.length() - 3).strip();
    }
    try {
      JsonNode root = STRICT.readTree(body);
      return root != null && root.isObject() ? root : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * How many of the tuned (or base) answers are JSON objects with a leaf path that no expected
   * answer has.
   */
  static int answersWithUnexpectedKeys(List<EvaluationExample> generations, boolean tuned) {
    Set<String> expected = new HashSet<>();
    generations.forEach(g -> leaves(object(g.expected()), "", expected));
    int count = 0;
    for (EvaluationExample g : generations) {
      Set<String> given = new HashSet<>();
      leaves(object(tuned ? g.tunedOutput() : g.baseOutput()), "", given);
      count += expected.containsAll(given) ? 0 : 1;
    }
    return count;
  }

  private static void leaves(@Nullable JsonNode node, String path, Set<String> into) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isObject()) {
      node.properties()
          .forEach(
              e ->
                  leaves(
                      e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), into));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        leaves(node.get(i), path + "[" + i + "]", into);
      }
    } else {
      into.add(path);
    }
  }

  /**
   * The paired bootstrap's 95 % interval of tuned minus base JSON validity over the given resamples
   * of example indices: the sorted differences at positions ⌊0.025·m⌋ and ⌈0.975·m⌉ − 1.
   */
  static double[] validityDeltaInterval(List<EvaluationExample> generations, int[][] resamples) {
    double[] deltas = new double[resamples.length];
    for (int r = 0; r < resamples.length; r++) {
      int difference = 0;
      for (int i : resamples[r]) {
        EvaluationExample g = generations.get(i);
        difference +=
            (isJsonObject(g.tunedOutput()) ? 1 : 0) - (isJsonObject(g.baseOutput()) ? 1 : 0);
      }
      deltas[r] = (double) difference / resamples[r].length;
    }
    Arrays.sort(deltas);
    int m = deltas.length;
    return new double[] {
      deltas[(int) Math.floor(0.025 * m)], deltas[(int) Math.ceil(0.975 * m) - 1]
    };
  }

  private static String squeeze(String text) {
    return String.join(" ", text.strip().split("\\s+")).toLowerCase(Locale.ROOT);
  }

  private static List<String> words(String text) {
    String folded =
        Normalizer.normalize(text, Normalizer.Form.NFKC)
            .toUpperCase(Locale.ROOT)
            .toLowerCase(Locale.ROOT);
    return Arrays.stream(folded.split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toList();
  }

  /** F-measure of the longest common subsequence, by the full table. */
  static double rougeL(List<String> candidate, List<String> reference) {
    if (candidate.isEmpty() || reference.isEmpty()) {
      return candidate.isEmpty() && reference.isEmpty() ? 1 : 0;
    }
    int[][] table = new int[candidate.size() + 1][reference.size() + 1];
    for (int i = candidate.size() - 1; i >= 0; i--) {
      for (int j = reference.size() - 1; j >= 0; j--) {
        table[i][j] =
            candidate.get(i).equals(reference.get(j))
                ? table[i + 1][j + 1] + 1
                : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    int common = table[0][0];
    if (common == 0) {
      return 0;
    }
    double precision = (double) common / candidate.size();
    double recall = (double) common / reference.size();
    return 2 * precision * recall / (precision + recall);
  }
}
