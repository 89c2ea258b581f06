package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.protocol.PromptMessage;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A fine-tune's evaluation as the native API shows it: the stored headline metrics of base and
 * tuned, the fields, the bootstrap intervals, latency and retention, the figures of the evaluation
 * page. {@code base}, {@code tuned} and {@code confidence} are null when it failed ({@code error}).
 */
record EvaluationJson(
    UUID jobId,
    String status,
    @Nullable String error,
    String kind,
    int examples,
    String decoding,
    int maxNewTokens,
    double seconds,
    long generatedTokens,
    Instant createdAt,
    @Nullable ModelMetrics base,
    @Nullable ModelMetrics tuned,
    List<FieldMetrics> fields,
    @Nullable Confidence confidence,
    @Nullable LatencyFigures latency,
    @Nullable RetentionScores retention) {

  /**
   * One example of the side-by-side table: the prompt, the expected answer, both answers, each
   * model's score (example-level field F1, or ROUGE-L for free text) and marks per field.
   */
  record EvaluatedExample(
      int index,
      List<PromptMessage> prompt,
      String expected,
      String baseAnswer,
      String tunedAnswer,
      double baseScore,
      double tunedScore,
      boolean baseValidJson,
      boolean tunedValidJson,
      boolean baseRight,
      boolean tunedRight,
      List<FieldMark> baseMarks,
      List<FieldMark> tunedMarks) {
    static EvaluatedExample of(ExampleRow row) {
      return new EvaluatedExample(
          row.example().index(),
          row.example().prompt(),
          row.example().expected(),
          row.example().baseOutput(),
          row.example().tunedOutput(),
          row.baseScore(),
          row.tunedScore(),
          row.baseValid(),
          row.tunedValid(),
          row.baseRight(),
          row.tunedRight(),
          row.baseMarks().stream().map(FieldMark::of).toList(),
          row.tunedMarks().stream().map(FieldMark::of).toList());
    }
  }

  /** One field of one answer: {@code status} is CORRECT, WRONG, MISSING or EXTRA. */
  record FieldMark(
      String path,
      @Nullable String expected,
      @Nullable String predicted,
      boolean exactMatch,
      String status) {
    static FieldMark of(FieldComparison.Outcome outcome) {
      return new FieldMark(
          outcome.path(),
          outcome.expected(),
          outcome.predicted(),
          outcome.exactMatch(),
          outcome.status().name());
    }
  }
}
