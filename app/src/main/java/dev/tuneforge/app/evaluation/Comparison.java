package dev.tuneforge.app.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Whether the fine-tune beat its base model: overall and per-field deltas (tuned minus base, over
 * the expected key paths) and the examples worth looking at. Both reports must cover the same
 * examples in the same order.
 */
public record Comparison(
    EvaluationReport base,
    EvaluationReport tuned,
    Map<String, FieldDelta> fields,
    List<ExamplePair> pairs) {
  public Comparison {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    pairs = List.copyOf(pairs);
  }

  public static Comparison of(EvaluationReport base, EvaluationReport tuned) {
    if (base.size() != tuned.size()) {
      throw new IllegalArgumentException(
          "base has " + base.size() + " examples, tuned " + tuned.size());
    }
    List<ExamplePair> pairs = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      ExampleScore b = base.examples().get(i);
      ExampleScore t = tuned.examples().get(i);
      if (!b.answer().expected().equals(t.answer().expected())) {
        throw new IllegalArgumentException(
            "example " + i + " expects different answers in base and tuned");
      }
      pairs.add(new ExamplePair(i, b, t));
    }
    Set<String> paths = base.expectedPaths();
    Map<String, FieldDelta> fields = new LinkedHashMap<>();
    for (String path : paths) {
      fields.put(path, new FieldDelta(path, base.field(path), tuned.field(path)));
    }
    return new Comparison(base, tuned, fields, pairs);
  }

  /** Null when either model's micro F1 is undefined. */
  public @Nullable Double microF1Delta() {
    return Ratios.delta(base.micro().f1(), tuned.micro().f1());
  }

  public double jsonValidityRateDelta() {
    return tuned.jsonValidityRate() - base.jsonValidityRate();
  }

  public double objectMatchRateDelta() {
    return tuned.objectMatchRate() - base.objectMatchRate();
  }

  /**
   * Examples whose field-level F1 is lower for the tuned model than for the base model; ties and
   * undefined F1 (nothing expected nor answered) are neither worse nor better.
   */
  public List<ExamplePair> tunedWorse() {
    return select(p -> signum(p) < 0);
  }

  /** Examples where the tuned model's field-level F1 is higher. */
  public List<ExamplePair> tunedBetter() {
    return select(p -> signum(p) > 0);
  }

  private static int signum(ExamplePair pair) {
    Double delta = Ratios.delta(pair.base().counts().f1(), pair.tuned().counts().f1());
    return delta == null ? 0 : (int) Math.signum(delta);
  }

  /** Examples neither model got right as a whole object. */
  public List<ExamplePair> bothWrong() {
    return select(p -> !p.base().objectMatch() && !p.tuned().objectMatch());
  }

  /** Examples where at least one of the two outputs is not valid JSON. */
  public List<ExamplePair> invalidJson() {
    return select(p -> !p.base().validJson() || !p.tuned().validJson());
  }

  private List<ExamplePair> select(Predicate<ExamplePair> test) {
    return pairs.stream().filter(test).toList();
  }
}
