package dev.tuneforge.app.evaluation;

import dev.tuneforge.chat.ToolCallAnswer;
import dev.tuneforge.fieldmetrics.JsonOutput;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.TokenScores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
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
    @Nullable Comparison comparison,
    Confidence confidence,
    Map<String, String> normalisationRules) {

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
    normalisationRules = Collections.unmodifiableMap(new LinkedHashMap<>(normalisationRules));
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
      base.add(answer(id, g.expected(), g.baseOutput()));
      tuned.add(answer(id, g.expected(), g.tunedOutput()));
      extraction &= JsonOutput.parse(base.getLast().expected()).valid();
    }
    if (!extraction) {
      Confidence confidence =
          PairedBootstrap.confidence(
              base.stream().map(ExampleFigures::text).toList(),
              tuned.stream().map(ExampleFigures::text).toList(),
              Headline.applicable(false));
      return new EvaluationScores(
          Kind.TEXT,
          metrics(confidence, base.size(), summary.base(), true, null),
          metrics(confidence, tuned.size(), summary.tuned(), false, null),
          List.of(),
          null,
          confidence,
          Map.of());
    }
    EvaluationMetrics metrics = new EvaluationMetrics();
    Comparison comparison = metrics.compare(metrics.evaluate(base), metrics.evaluate(tuned));
    List<FieldMetrics> fields = new ArrayList<>();
    for (FieldDelta delta : comparison.fields().values()) {
      fields.add(
          new FieldMetrics(
              delta.path(),
              delta.base().support(),
              FieldMetrics.FieldScore.of(delta.base()),
              FieldMetrics.FieldScore.of(delta.tuned())));
    }
    Confidence confidence =
        PairedBootstrap.confidence(
            comparison.base().figures(), comparison.tuned().figures(), Headline.applicable(true));
    return new EvaluationScores(
        Kind.EXTRACTION,
        metrics(confidence, base.size(), summary.base(), true, comparison.base().keys()),
        metrics(confidence, tuned.size(), summary.tuned(), false, comparison.tuned().keys()),
        fields,
        comparison,
        confidence,
        NormalisationRules.of(comparison.base()));
  }

  /**
   * A model's answer to score. Where the expected answer calls tools, both are read back into text
   * and calls (whatever tags the model's chat template wraps its calls in) and written as the same
   * JSON object ({@link ToolCallAnswer#forScoring}), so exact match and field F1 compare the
   * function's name and arguments, not the tags.
   */
  static ModelAnswer answer(String id, String expected, String output) {
    ToolCallAnswer.Scored scored = ToolCallAnswer.forScoring(expected, output);
    return new ModelAnswer(id, scored.expected(), scored.output());
  }

  /** The headline figures are the bootstrap's values over all examples, so the two never differ. */
  private static ModelMetrics metrics(
      Confidence confidence,
      int examples,
      @Nullable TokenScores tokens,
      boolean base,
      @Nullable KeyFindings keys) {
    Function<Headline, @Nullable Double> value =
        h -> confidence.of(h).map(m -> base ? m.base() : m.tuned()).orElse(null);
    return new ModelMetrics(
        examples,
        orZero(value.apply(Headline.JSON_VALIDITY)),
        orZero(value.apply(Headline.OBJECT_MATCH)),
        value.apply(Headline.MICRO_PRECISION),
        value.apply(Headline.MICRO_RECALL),
        value.apply(Headline.MICRO_F1),
        orZero(value.apply(Headline.ROUGE_L)),
        orZero(value.apply(Headline.TEXT_MATCH)),
        tokens == null ? null : tokens.loss(),
        tokens == null ? null : tokens.perplexity(),
        tokens == null ? null : tokens.tokenAccuracy(),
        value.apply(Headline.MACRO_PRECISION),
        value.apply(Headline.MACRO_RECALL),
        value.apply(Headline.MACRO_F1),
        keys);
  }

  private static double orZero(@Nullable Double value) {
    return value == null ? 0 : value;
  }

  static boolean textMatch(ModelAnswer answer) {
    return normalise(answer.output()).equals(normalise(answer.expected()));
  }

  /** Case and runs of whitespace do not count in a text match. */
  static String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /** Fields in the order the table shows them: expected ones first, as the reports keep them. */
  public Map<String, FieldMetrics> fieldsByPath() {
    Map<String, FieldMetrics> byPath = new LinkedHashMap<>();
    fields.forEach(f -> byPath.put(f.path(), f));
    return byPath;
  }
}
