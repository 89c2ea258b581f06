package dev.tuneforge.trainingnode.evaluate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.TokenScores;
import dev.tuneforge.trainingnode.generate.GenerationResult;
import dev.tuneforge.trainingnode.generate.Generator;
import dev.tuneforge.trainingnode.generate.StopReason;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import dev.tuneforge.trainingnode.train.Batches;
import dev.tuneforge.trainingnode.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The base model (adapter off) and the tuned model (adapter on) of one loaded model, or for full
 * fine-tuning a separately loaded base model and the tuned one, over the same evaluation cases,
 * batch by batch: greedy generations with the same settings from the KV-cached {@link Generator},
 * and teacher-forced {@link TokenScores} on the cases' assistant tokens, encoded and truncated as
 * training encodes them. No gradients: run it outside any GradientCollector.
 */
public final class ModelComparison {

  /** Told after each batch how many cases are done. */
  @FunctionalInterface
  public interface Progress {
    void done(int done, int total);
  }

  /**
   * What both models did; {@code stopReason} is set when a stop request ended the comparison early,
   * and then only the cases done so far are in it.
   */
  public record Result(
      List<EvaluationExample> examples,
      @Nullable TokenScores base,
      @Nullable TokenScores tuned,
      long generatedTokens,
      @Nullable String stopReason,
      List<ExampleLoss> losses) {

    public Result {
      examples = List.copyOf(examples);
      losses = List.copyOf(losses);
    }
  }

  /**
   * One example's mean per-token loss on its expected answer under each model, over {@code tokens}
   * answer tokens; both null when none fits the sequence length.
   */
  public record ExampleLoss(@Nullable Double base, @Nullable Double tuned, int tokens) {}

  private final LlamaModel model;
  private final LlamaModel baseModel;
  private final HuggingFaceTokenizer tokenizer;
  private final Path modelDirectory;
  private final int maxNewTokens;
  private final int batchSize;
  private final int maxSequenceLength;
  private final Progress progress;
  private final Trainer.StopRequest stopRequest;

  private ModelComparison(Builder builder) {
    if (builder.model == null || builder.tokenizer == null || builder.modelDirectory == null) {
      throw new IllegalStateException(
          "a comparison needs a model, its tokenizer and its directory");
    }
    if (builder.maxNewTokens < 1 || builder.batchSize < 1) {
      throw new IllegalArgumentException("max new tokens and batch size must be at least 1");
    }
    this.model = builder.model;
    this.baseModel = builder.baseModel != null ? builder.baseModel : builder.model;
    this.tokenizer = builder.tokenizer;
    this.modelDirectory = builder.modelDirectory;
    this.maxNewTokens = builder.maxNewTokens;
    this.batchSize = builder.batchSize;
    this.maxSequenceLength = builder.maxSequenceLength;
    this.progress = builder.progress;
    this.stopRequest = builder.stopRequest;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Result compare(List<EvaluationCase> cases) throws IOException {
    Generator base = generator(baseModel, false);
    Generator tuned = generator(model, true);
    ChatEncoder encoder = ChatEncoder.forModel(modelDirectory, tokenizer, maxSequenceLength);
    long padId = ChatEncoder.padTokenId(modelDirectory, tokenizer);
    TokenTally baseTally = new TokenTally();
    TokenTally tunedTally = new TokenTally();
    List<EvaluationExample> examples = new ArrayList<>();
    List<ExampleLoss> losses = new ArrayList<>();
    long generated = 0;
    String stopReason = null;
    try (NDManager root = NDManager.newBaseManager(model.device())) {
      for (int from = 0; from < cases.size(); from += batchSize) {
        stopReason = stopRequest.reason();
        if (stopReason != null) {
          break;
        }
        List<EvaluationCase> batch = cases.subList(from, Math.min(from + batchSize, cases.size()));
        List<long[]> prompts =
            batch.stream().map(c -> base.encodePrompt(c.prompt(), c.tools())).toList();
        List<GenerationResult> fromBase = base.generateFromIds(prompts);
        List<GenerationResult> fromTuned = tuned.generateFromIds(prompts);
        for (int i = 0; i < batch.size(); i++) {
          EvaluationCase c = batch.get(i);
          GenerationResult b = fromBase.get(i);
          GenerationResult t = fromTuned.get(i);
          examples.add(
              new EvaluationExample(
                  c.index(),
                  c.promptMessages(),
                  c.expected(),
                  b.text(),
                  t.text(),
                  b.tokenIds().length,
                  t.tokenIds().length,
                  stop(b),
                  stop(t),
                  b.firstTokenSeconds(),
                  b.decodeTokensPerSecond(),
                  t.firstTokenSeconds(),
                  t.decodeTokensPerSecond()));
          generated += b.tokenIds().length + t.tokenIds().length;
        }
        List<EncodedExample> all =
            batch.stream().map(c -> encoder.encode(c.conversation())).toList();
        List<EncodedExample> encoded = all.stream().filter(e -> e.trainableTokens() > 0).toList();
        int scored = baseTally.rows().size();
        if (!encoded.isEmpty()) {
          TokenBatch tokens = Batches.collate(encoded, padId);
          try (NDManager scope = root.newSubManager()) {
            baseTally.add(baseModel, scope, tokens, false);
          }
          try (NDManager scope = root.newSubManager()) {
            tunedTally.add(model, scope, tokens, true);
          }
        }
        for (EncodedExample e : all) {
          if (e.trainableTokens() > 0) {
            TokenTally.RowLoss b = baseTally.rows().get(scored);
            TokenTally.RowLoss t = tunedTally.rows().get(scored++);
            losses.add(new ExampleLoss(b.mean(), t.mean(), b.tokens()));
          } else {
            losses.add(new ExampleLoss(null, null, 0));
          }
        }
        progress.done(from + batch.size(), cases.size());
      }
    }
    return new Result(
        examples, baseTally.scores(), tunedTally.scores(), generated, stopReason, losses);
  }

  private Generator generator(LlamaModel generating, boolean adapter) throws IOException {
    return Generator.builder()
        .setModel(generating)
        .setTokenizer(tokenizer)
        .optModelDirectory(modelDirectory)
        .optMaxNewTokens(maxNewTokens)
        .optUseAdapter(adapter)
        .build();
  }

  /** The protocol's words: {@code eos}, or {@code length} for any limit that cut it short. */
  private static String stop(GenerationResult result) {
    return result.stopReason() == StopReason.EOS ? "eos" : "length";
  }

  /** {@code setX} for what a comparison cannot go without, {@code optX} for the rest. */
  public static final class Builder {
    private @Nullable LlamaModel model;
    private @Nullable LlamaModel baseModel;
    private @Nullable HuggingFaceTokenizer tokenizer;
    private @Nullable Path modelDirectory;
    private int maxNewTokens = 256;
    private int batchSize = 4;
    private int maxSequenceLength = Integer.MAX_VALUE;
    private Progress progress = (done, total) -> {};
    private Trainer.StopRequest stopRequest = () -> null;

    private Builder() {}

    /** The model with its trained adapter; the base model is the same with the adapter off. */
    public Builder setModel(LlamaModel model) {
      this.model = model;
      return this;
    }

    /**
     * The base model to compare with, loaded on its own (see {@link LlamaModel#loadFrozen}), for a
     * tuned model that has no adapter to switch off because all its weights were trained.
     */
    public Builder optBaseModel(LlamaModel baseModel) {
      this.baseModel = baseModel;
      return this;
    }

    public Builder setTokenizer(HuggingFaceTokenizer tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /** The model's Hugging Face directory: its chat template, eos and pad tokens. */
    public Builder setModelDirectory(Path modelDirectory) {
      this.modelDirectory = modelDirectory;
      return this;
    }

    /** Greedy decoding stops at an eos token or after this many tokens. */
    public Builder optMaxNewTokens(int maxNewTokens) {
      this.maxNewTokens = maxNewTokens;
      return this;
    }

    public int maxNewTokens() {
      return maxNewTokens;
    }

    /** Cases generated for, and scored, together. */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Scored conversations are truncated to this many tokens, as training truncated them. */
    public Builder optMaxSequenceLength(int maxSequenceLength) {
      this.maxSequenceLength = maxSequenceLength;
      return this;
    }

    public Builder optProgress(Progress progress) {
      this.progress = progress;
      return this;
    }

    /** Asked before each batch; a reason ends the comparison with the cases done so far. */
    public Builder optStopRequest(Trainer.StopRequest stopRequest) {
      this.stopRequest = stopRequest;
      return this;
    }

    public ModelComparison build() {
      return new ModelComparison(this);
    }
  }
}
