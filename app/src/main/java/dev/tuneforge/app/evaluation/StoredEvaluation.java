package dev.tuneforge.app.evaluation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An evaluation as stored, with its metrics read back; {@code base} and {@code tuned} are null when
 * it failed ({@link Evaluation#getError()} says why).
 */
public record StoredEvaluation(
    Evaluation row,
    @Nullable ModelMetrics base,
    @Nullable ModelMetrics tuned,
    List<FieldMetrics> fields) {
  public StoredEvaluation {
    fields = List.copyOf(fields);
  }
}
