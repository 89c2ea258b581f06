package dev.tuneforge.app.dataset.tokens;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The token lengths of one dataset version's training rows under one base model, for one maximum
 * sequence length: the count's state and progress and, once it succeeded, its {@link Summary}.
 */
public record TokenLengths(
    UUID versionId,
    UUID baseModelId,
    String baseModelName,
    int maxLength,
    Status status,
    int rowsDone,
    int rowsTotal,
    @Nullable String error,
    @Nullable Summary summary) {

  public enum Status {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    public boolean finished() {
      return this == SUCCEEDED || this == FAILED;
    }
  }

  /** Rows whose length is at least {@code from} and below {@code to} tokens. */
  public record Bin(int from, int to, int rows) {}

  /**
   * Lengths in tokens as the trainer sees the rows (rendered with the chat template, before
   * truncation); {@code truncatedRows} are longer than the maximum length, and {@code
   * assistantTokensLost} of their {@code assistantTokens} trainable tokens fall beyond it. {@code
   * droppedRows} keep no assistant token within it, so the trainer leaves them out; {@code
   * keepsEveryRow} is the smallest maximum length that keeps every row that has one (0 when none
   * has); {@code rowsOver} counts the rows longer than each of {@link #LIMITS}.
   */
  public record Summary(
      int rows,
      int maxTokens,
      double meanTokens,
      int p50,
      int p90,
      int p99,
      int truncatedRows,
      long assistantTokens,
      long assistantTokensLost,
      int droppedRows,
      int keepsEveryRow,
      Map<Integer, Integer> rowsOver,
      List<Bin> histogram) {

    /** The lengths the quality report states rows over, as its estimate does. */
    public static final List<Integer> LIMITS = List.of(512, 1024, 2048, 4096);

    public Summary {
      rowsOver = Map.copyOf(rowsOver);
      histogram = List.copyOf(histogram);
    }

    public double truncatedPercent() {
      return rows == 0 ? 0 : 100.0 * truncatedRows / rows;
    }
  }
}
