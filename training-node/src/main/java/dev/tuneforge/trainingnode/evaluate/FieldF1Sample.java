package dev.tuneforge.trainingnode.evaluate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.ToolCallAnswer;
import dev.tuneforge.fieldmetrics.FieldF1;
import dev.tuneforge.trainingnode.generate.Generator;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The tuned model so far answering a fixed sample of validation prompts, greedily, each time the
 * trainer measures the validation loss, scored by the micro field F1 the app computes from the
 * evaluation's generations ({@link FieldF1}, tool calls by their name and arguments). The sample is
 * drawn once with the run's seed, so every measurement, and a resumed run's, answers the same
 * prompts.
 */
public final class FieldF1Sample implements Trainer.FieldF1 {

  private final Generator generator;
  private final List<EvaluationCase> cases;
  private final int batchSize;

  private FieldF1Sample(Generator generator, List<EvaluationCase> cases, int batchSize) {
    this.generator = generator;
    this.cases = cases;
    this.batchSize = batchSize;
  }

  /**
   * A sample of {@code count} validation conversations, or null when field F1 does not apply: some
   * expected answer is neither a JSON object nor a tool call (a free-text set), or there is nothing
   * to sample.
   */
  public static @Nullable FieldF1Sample of(
      LlamaModel model,
      HuggingFaceTokenizer tokenizer,
      Path modelDirectory,
      List<Conversation> validation,
      int count,
      long seed,
      int maxNewTokens,
      int batchSize)
      throws IOException {
    List<EvaluationCase> all = EvaluationSet.first(validation, validation.size());
    if (count <= 0 || !applies(all)) {
      return null;
    }
    Generator generator =
        Generator.builder()
            .setModel(model)
            .setTokenizer(tokenizer)
            .optModelDirectory(modelDirectory)
            .optMaxNewTokens(maxNewTokens)
            .build();
    return new FieldF1Sample(generator, sample(all, count, seed), Math.max(1, batchSize));
  }

  /**
   * Whether field F1 applies to a set: it has cases, and each expected answer is a JSON object or
   * calls tools.
   */
  static boolean applies(List<EvaluationCase> cases) {
    return !cases.isEmpty()
        && cases.stream()
            .allMatch(c -> FieldF1.applies(ToolCallAnswer.forScoring(c.expected(), "").expected()));
  }

  /** {@code count} cases drawn without replacement by a seeded shuffle, in the file's order. */
  static List<EvaluationCase> sample(List<EvaluationCase> all, int count, long seed) {
    List<EvaluationCase> shuffled = new ArrayList<>(all);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      shuffled.set(j, shuffled.set(i, shuffled.get(j)));
    }
    List<EvaluationCase> chosen =
        new ArrayList<>(shuffled.subList(0, Math.min(count, shuffled.size())));
    chosen.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return List.copyOf(chosen);
  }

  @Override
  public @Nullable Double measure() {
    List<String> outputs = new ArrayList<>();
    for (int from = 0; from < cases.size(); from += batchSize) {
      List<EvaluationCase> batch = cases.subList(from, Math.min(from + batchSize, cases.size()));
      var results =
          generator.generateFromIds(
              batch.stream().map(c -> generator.encodePrompt(c.prompt(), c.tools())).toList());
      results.forEach(r -> outputs.add(r.text()));
    }
    return score(cases, outputs);
  }

  /**
   * The micro field F1 of the models' outputs to the cases, scored as the app scores the
   * evaluation's generations: where a case's expected answer calls tools, both are compared as
   * {@link ToolCallAnswer#forScoring} objects (the function's name and arguments), whatever tags
   * the model's template wrapped its calls in.
   */
  static @Nullable Double score(List<EvaluationCase> cases, List<String> outputs) {
    List<FieldF1.Answer> answers = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      ToolCallAnswer.Scored scored =
          ToolCallAnswer.forScoring(cases.get(i).expected(), outputs.get(i));
      answers.add(new FieldF1.Answer(scored.expected(), scored.output()));
    }
    return FieldF1.micro(answers);
  }

  @Override
  public int examples() {
    return cases.size();
  }

  /** The indices of the sampled validation conversations, 0-based in file order. */
  public List<Integer> indices() {
    return cases.stream().map(EvaluationCase::index).toList();
  }
}
