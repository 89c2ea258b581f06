package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A row of the side-by-side table: one prompt, the expected answer, both outputs, and each model's
 * marks and score (example-level field F1 for extraction, ROUGE-L for free text). The evaluation
 * page's table and the API's examples are both made of these.
 */
public record ExampleRow(
    EvaluationExample example,
    List<FieldComparison.Outcome> baseMarks,
    List<FieldComparison.Outcome> tunedMarks,
    double baseScore,
    double tunedScore,
    boolean baseValid,
    boolean tunedValid,
    boolean baseRight,
    boolean tunedRight) {

  /** The filters of the table, each with what it keeps. */
  public enum Filter {
    ALL("All examples", r -> true),
    TUNED_WORSE("Tuned got worse", r -> r.tunedScore < r.baseScore),
    TUNED_BETTER("Tuned got better", r -> r.tunedScore > r.baseScore),
    BOTH_WRONG("Both wrong", r -> !r.baseRight && !r.tunedRight),
    INVALID_JSON("Invalid JSON", r -> !r.baseValid || !r.tunedValid);

    public final String label;
    public final Predicate<ExampleRow> keeps;

    Filter(String label, Predicate<ExampleRow> keeps) {
      this.label = label;
      this.keeps = keeps;
    }
  }

  public static List<ExampleRow> of(List<EvaluationExample> generations, EvaluationScores scores) {
    List<ExampleRow> rows = new ArrayList<>();
    Comparison comparison = scores.comparison();
    for (int i = 0; i < generations.size(); i++) {
      EvaluationExample g = generations.get(i);
      if (comparison != null) {
        ExamplePair pair = comparison.pairs().get(i);
        rows.add(
            new ExampleRow(
                g,
                pair.base().fields(),
                pair.tuned().fields(),
                orZero(pair.base().counts().f1()),
                orZero(pair.tuned().counts().f1()),
                pair.base().validJson(),
                pair.tuned().validJson(),
                pair.base().objectMatch(),
                pair.tuned().objectMatch()));
      } else {
        double base = RougeL.score(g.baseOutput(), g.expected());
        double tuned = RougeL.score(g.tunedOutput(), g.expected());
        rows.add(
            new ExampleRow(
                g, List.of(), List.of(), base, tuned, true, true, base >= 0.999, tuned >= 0.999));
      }
    }
    return rows;
  }

  /** An example that expects nothing and gets nothing has no F1; it ranks as neither side. */
  private static double orZero(@Nullable Double f1) {
    return f1 == null ? 0 : f1;
  }

  /** The last user message: what a reader scans the table by. */
  public String input() {
    List<PromptMessage> prompt = example.prompt();
    for (int i = prompt.size() - 1; i >= 0; i--) {
      if ("user".equals(prompt.get(i).role())) {
        return prompt.get(i).content();
      }
    }
    return prompt.isEmpty() ? "" : prompt.getLast().content();
  }
}
