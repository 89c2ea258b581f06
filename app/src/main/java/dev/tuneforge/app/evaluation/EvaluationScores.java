package dev.tuneforge.app.evaluation;

import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.TokenScores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one base-versus-tuned evaluation, computed from the node's generations and summary
 * and nothing else, so they can always be recomputed from what is stored. {@code comparison} is
 * null for free-text evaluations (no JSON to compare field by field).
 */
public record EvaluationScores(
    Kind kind,
    ModelMetrics base,
    ModelMetrics tuned,
    List<FieldMetrics> fields,
    @Nullable Comparison comparison) {

  public enum Kind {
    /** Every expected answer is a JSON object: field-level metrics apply. */
    EXTRACTION,
    /** Some expected answer is free text: ROUGE-L and text match only. */
    TEXT;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public EvaluationScores {
    fields = List.copyOf(fields);
  }

  /**
   * @throws IllegalArgumentException when there are no generations
   */
  public static EvaluationScores compute(
      List<EvaluationExample> generations, EvaluationSummary summary) {
    if (generations.isEmpty()) {
      throw new IllegalArgumentException("the node generated nothing to evaluate");
    }
    List<ModelAnswer> base = new ArrayList<>();
    List<ModelAnswer> tuned = new ArrayList<>();
    boolean extraction = true;
    for (var g : generations) {
      String id = Integer.toString(g.index());
      base.add(new ModelAnswer(id, g.expected(), g.baseOutput()));
      tuned.add(new ModelAnswer(id, g.expected(), g.tunedOutput()));
      extraction &= JsonOutput.parse(g.expected()).valid();
    }
    if (!extraction) {
      return new EvaluationScores(
          Kind.TEXT, text(base, summary.base()), text(tuned, summary.tuned()), List.of(), null);
    }
    EvaluationMetrics metrics = new EvaluationMetrics();
    Comparison comparison = metrics.compare(metrics.evaluate(base), metrics.evaluate(tuned));
    List<FieldMetrics> fields = new ArrayList<>();
    for (FieldDelta delta : comparison.fields().values()) {
      fields.add(
          new FieldMetrics(
              delta.path(),
              Math.max(delta.base().support(), delta.tuned().support()),
              FieldMetrics.FieldScore.of(delta.base()),
              FieldMetrics.FieldScore.of(delta.tuned())));
    }
    return new EvaluationScores(
        Kind.EXTRACTION,
        extraction(comparison.base(), summary.base()),
        extraction(comparison.tuned(), summary.tuned()),
        fields,
        comparison);
  }

  private static ModelMetrics extraction(EvaluationReport report, @Nullable TokenScores tokens) {
    double textMatch =
        report.examples().stream()
                .filter(
                    s -> normalise(s.answer().output()).equals(normalise(s.answer().expected())))
                .count()
            / (double) report.size();
    FieldCounts micro = report.micro();
    return new ModelMetrics(
        report.size(),
        report.jsonValidityRate(),
        report.objectMatchRate(),
        micro.precision(),
        micro.recall(),
        micro.f1(),
        report.meanRougeL(),
        textMatch,
        loss(tokens),
        perplexity(tokens),
        accuracy(tokens));
  }

  private static ModelMetrics text(List<ModelAnswer> examples, @Nullable TokenScores tokens) {
    double rouge = 0;
    int matches = 0;
    int valid = 0;
    for (ModelAnswer e : examples) {
      rouge += RougeL.score(e.output(), e.expected());
      matches += normalise(e.output()).equals(normalise(e.expected())) ? 1 : 0;
      valid += JsonOutput.parse(e.output()).valid() ? 1 : 0;
    }
    int n = examples.size();
    return new ModelMetrics(
        n,
        (double) valid / n,
        0,
        0,
        0,
        0,
        rouge / n,
        (double) matches / n,
        loss(tokens),
        perplexity(tokens),
        accuracy(tokens));
  }

  /** Case and runs of whitespace do not count in a text match. */
  static String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static @Nullable Double loss(@Nullable TokenScores tokens) {
    return tokens == null ? null : tokens.loss();
  }

  private static @Nullable Double perplexity(@Nullable TokenScores tokens) {
    return tokens == null ? null : tokens.perplexity();
  }

  private static @Nullable Double accuracy(@Nullable TokenScores tokens) {
    return tokens == null ? null : tokens.tokenAccuracy();
  }

  /** Fields in the order the table shows them: expected ones first, as the reports keep them. */
  public Map<String, FieldMetrics> fieldsByPath() {
    Map<String, FieldMetrics> byPath = new LinkedHashMap<>();
    fields.forEach(f -> byPath.put(f.path(), f));
    return byPath;
  }
}
