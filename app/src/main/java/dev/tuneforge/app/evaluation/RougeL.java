package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.ValueNormaliser;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ROUGE-L F-measure (β = 1) on word tokens: the longest common subsequence of candidate and
 * reference tokens, as precision over the candidate and recall over the reference.
 */
public final class RougeL {
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private RougeL() {}

  public static double score(String candidate, String reference) {
    List<String> c = tokens(candidate);
    List<String> r = tokens(reference);
    if (c.isEmpty() || r.isEmpty()) {
      return c.isEmpty() && r.isEmpty() ? 1.0 : 0.0;
    }
    int lcs = lcs(c, r);
    if (lcs == 0) {
      return 0.0;
    }
    double precision = (double) lcs / c.size();
    double recall = (double) lcs / r.size();
    return 2 * precision * recall / (precision + recall);
  }

  /** Case-folded (NFKC) runs of letters and digits; everything else separates tokens. */
  static List<String> tokens(String text) {
    return Arrays.stream(NOT_WORD.split(ValueNormaliser.fold(text)))
        .filter(t -> !t.isEmpty())
        .toList();
  }

  static int lcs(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    for (String x : a) {
      for (int j = 1; j <= b.size(); j++) {
        current[j] =
            x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.size()];
  }
}
