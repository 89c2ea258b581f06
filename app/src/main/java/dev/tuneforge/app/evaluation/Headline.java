package dev.tuneforge.app.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The headline metrics that are functions of the examples, each computed over a multiset of example
 * indices: all of them once for the figure itself, a resample of them for the bootstrap. Higher is
 * better for each. Definitions are in docs/evaluation.md.
 */
public enum Headline {
  JSON_VALIDITY("JSON validity", false),
  OBJECT_MATCH("whole-object match", true),
  MICRO_PRECISION("field precision (micro)", true),
  MICRO_RECALL("field recall (micro)", true),
  MICRO_F1("field F1 (micro)", true),
  MACRO_PRECISION("field precision (macro)", true),
  MACRO_RECALL("field recall (macro)", true),
  MACRO_F1("field F1 (macro)", true),
  ROUGE_L("ROUGE-L", false),
  TEXT_MATCH("text match", false);

  public final String label;

  /** Only meaningful when every expected answer is a JSON object. */
  public final boolean extractionOnly;

  Headline(String label, boolean extractionOnly) {
    this.label = label;
    this.extractionOnly = extractionOnly;
  }

  /** The metric over {@code examples[i]} for each i in {@code indices}; null when undefined. */
  @Nullable Double of(List<ExampleFigures> examples, int[] indices) {
    return switch (this) {
      case JSON_VALIDITY -> share(examples, indices, ExampleFigures::validJson);
      case OBJECT_MATCH -> share(examples, indices, ExampleFigures::objectMatch);
      case MICRO_PRECISION -> micro(examples, indices).precision();
      case MICRO_RECALL -> micro(examples, indices).recall();
      case MICRO_F1 -> micro(examples, indices).f1();
      case MACRO_PRECISION -> macro(examples, indices, FieldCounts::precision);
      case MACRO_RECALL -> macro(examples, indices, FieldCounts::recall);
      case MACRO_F1 -> macro(examples, indices, FieldCounts::f1);
      case ROUGE_L -> mean(examples, indices, ExampleFigures::rougeL);
      case TEXT_MATCH -> share(examples, indices, ExampleFigures::textMatch);
    };
  }

  static List<Headline> applicable(boolean extraction) {
    return List.of(values()).stream().filter(h -> extraction || !h.extractionOnly).toList();
  }

  private static double share(
      List<ExampleFigures> examples, int[] indices, Predicate<ExampleFigures> test) {
    return mean(examples, indices, e -> test.test(e) ? 1 : 0);
  }

  private static double mean(
      List<ExampleFigures> examples, int[] indices, ToDoubleFunction<ExampleFigures> value) {
    double sum = 0;
    for (int i : indices) {
      sum += value.applyAsDouble(examples.get(i));
    }
    return sum / indices.length;
  }

  private static FieldCounts micro(List<ExampleFigures> examples, int[] indices) {
    FieldCounts sum = FieldCounts.ZERO;
    for (int i : indices) {
      sum = sum.plus(examples.get(i).counts());
    }
    return sum;
  }

  /** The mean over the fields with support among these examples of the defined per-field values. */
  private static @Nullable Double macro(
      List<ExampleFigures> examples,
      int[] indices,
      Function<FieldCounts, @Nullable Double> metric) {
    Map<String, FieldCounts> fields = new LinkedHashMap<>();
    for (int i : indices) {
      examples.get(i).fields().forEach((path, c) -> fields.merge(path, c, FieldCounts::plus));
    }
    List<@Nullable Double> values = new ArrayList<>();
    for (FieldCounts c : fields.values()) {
      if (c.truePositives() + c.falseNegatives() > 0) {
        values.add(metric.apply(c));
      }
    }
    return Ratios.meanOfDefined(values);
  }
}
