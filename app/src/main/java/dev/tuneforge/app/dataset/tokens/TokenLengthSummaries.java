package dev.tuneforge.app.dataset.tokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles and a chart-sized histogram of row lengths. */
final class TokenLengthSummaries {
  /** About this many bars, of a round width (1, 2 or 5 times a power of ten). */
  static final int TARGET_BINS = 16;

  private TokenLengthSummaries() {}

  static TokenLengths.Summary of(
      int[] lengths,
      int maxLength,
      long assistantTokens,
      long assistantTokensLost,
      int droppedRows,
      int keepsEveryRow) {
    int[] sorted = lengths.clone();
    Arrays.sort(sorted);
    int rows = sorted.length;
    int truncated = 0;
    long total = 0;
    for (int length : sorted) {
      total += length;
      if (length > maxLength) {
        truncated++;
      }
    }
    int max = rows == 0 ? 0 : sorted[rows - 1];
    return new TokenLengths.Summary(
        rows,
        max,
        rows == 0 ? 0 : (double) total / rows,
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        truncated,
        assistantTokens,
        assistantTokensLost,
        droppedRows,
        keepsEveryRow,
        rowsOver(sorted),
        histogram(sorted, maxLength));
  }

  private static Map<Integer, Integer> rowsOver(int[] sorted) {
    Map<Integer, Integer> over = new LinkedHashMap<>();
    for (int limit : TokenLengths.Summary.LIMITS) {
      int at = Arrays.binarySearch(sorted, limit + 1);
      // The first row longer than the limit, among equal lengths too.
      at = at < 0 ? -at - 1 : at;
      while (at > 0 && sorted[at - 1] > limit) {
        at--;
      }
      over.put(limit, sorted.length - at);
    }
    return over;
  }

  /** Nearest rank: the smallest length that at least {@code percent}% of rows do not exceed. */
  static int percentile(int[] sorted, int percent) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /**
   * Bins from 0 to past the longest row or the maximum length, whichever is further, so both show.
   */
  static List<TokenLengths.Bin> histogram(int[] sorted, int maxLength) {
    int upper = Math.max(maxLength, sorted.length == 0 ? 0 : sorted[sorted.length - 1] + 1);
    int width = roundWidth(Math.max(1, (upper + TARGET_BINS - 1) / TARGET_BINS));
    List<TokenLengths.Bin> bins = new ArrayList<>();
    int at = 0;
    for (int from = 0; from < upper; from += width) {
      int to = from + width;
      int count = 0;
      while (at < sorted.length && sorted[at] < to) {
        count++;
        at++;
      }
      bins.add(new TokenLengths.Bin(from, to, count));
    }
    return bins;
  }

  static int roundWidth(int atLeast) {
    int power = 1;
    while (true) {
      for (int step : new int[] {1, 2, 5}) {
        if ((long) step * power >= atLeast) {
          return step * power;
        }
      }
      power *= 10;
    }
  }
}
