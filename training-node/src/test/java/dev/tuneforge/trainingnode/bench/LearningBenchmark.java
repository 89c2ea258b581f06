package dev.tuneforge.trainingnode.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.evaluate.EvaluationFiles;
import dev.tuneforge.trainingnode.jobprocess.TrainingJobMain;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import dev.tuneforge.trainingnode.train.Batches;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fine-tunes the demo model (or a larger one of the same kind) with LoRA on SROIE receipts as a job
 * runs it ({@link TrainingJobMain}, with a validation file) and prints the validation loss of the
 * base model and of the tuned one, the latter also recomputed from the adapter the job wrote, so
 * that the figure is that of the artefact a user downloads.
 */
public final class LearningBenchmark {

  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("train", "../shared/datasets/sroie/train.jsonl"),
          Map.entry("validation", "../shared/datasets/sroie/validation.jsonl"),
          Map.entry("rows", "0"),
          Map.entry("max-length", "1024"),
          Map.entry("epochs", "1"),
          Map.entry("max-steps", "0"),
          Map.entry("lr", "5e-3"),
          Map.entry("batch", "4"),
          Map.entry("r", "16"),
          Map.entry("alpha", "32"),
          Map.entry("dropout", "0.05"),
          Map.entry("targets", String.join(",", LlamaModel.PROJECTIONS)),
          Map.entry("hidden", "64"),
          Map.entry("layers", "2"),
          Map.entry("heads", "4"),
          Map.entry("kv-heads", "2"),
          Map.entry("intermediate", "172"),
          Map.entry("validation-every", "50"),
          Map.entry("seed", "42"),
          Map.entry("threads", "2"),
          Map.entry("evaluation-examples", "20"),
          Map.entry("evaluation-max-new-tokens", "128"),
          Map.entry("samples", "1"),
          Map.entry("architecture", "LlamaForCausalLM"));

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LearningBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = BenchArgs.parse(args, DEFAULTS);
    int threads = options.applyThreads();
    int maxLength = options.integer("max-length");
    int batch = options.integer("batch");
    long seed = options.integer("seed");
    LoraSettings lora =
        new LoraSettings(
            options.integer("r"),
            options.number("alpha"),
            options.number("dropout"),
            options.list("targets"));

    Path job = Files.createTempDirectory("tuneforge-bench-learning");
    Path modelDir = job.resolve(JobFolder.BASE_MODEL);
    DemoModelWriter.builder()
        .optArchitecture(options.text("architecture"))
        .optSeed(seed)
        .optHiddenSize(options.integer("hidden"))
        .optLayers(options.integer("layers"))
        .optHeads(options.integer("heads"), options.integer("kv-heads"))
        .optIntermediateSize(options.integer("intermediate"))
        .build()
        .writeTo(modelDir);
    Files.createDirectories(job.resolve("data"));
    List<String> rows =
        Files.readAllLines(Path.of(options.text("train")), StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .toList();
    if (options.integer("rows") > 0) {
      rows = rows.subList(0, Math.min(rows.size(), options.integer("rows")));
    }
    Files.write(job.resolve(JobFolder.TRAINING_DATA), rows, StandardCharsets.UTF_8);
    Files.copy(Path.of(options.text("validation")), job.resolve(JobFolder.VALIDATION_DATA));
    TrainingSpec spec =
        new TrainingSpec(
            "bench-sroie",
            "tuneforge/demo-llama",
            lora,
            new Hyperparameters(
                options.integer("epochs"),
                options.number("lr"),
                batch,
                maxLength,
                seed,
                options.integer("max-steps")),
            TrainingOptions.builder()
                .optCheckpointEvery(0)
                .optSchedule("linear")
                .optWarmupRatio(0.1)
                .optGradientAccumulation(1)
                .optValidationEvery(options.integer("validation-every"))
                .optEarlyStoppingPatience(0)
                .optWeightDecay(0.0)
                .optMaxGradNorm(1.0)
                .optEvaluationExamples(options.integer("evaluation-examples"))
                .optEvaluationMaxNewTokens(options.integer("evaluation-max-new-tokens"))
                .optSamplesPerValidation(options.integer("samples"))
                .build());
    Files.writeString(job.resolve(JobFolder.SPEC), JSON.writeValueAsString(spec));

    Encoded train;
    Encoded validation;
    long padId;
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      ChatEncoder encoder = ChatEncoder.forModel(modelDir, tokenizer, maxLength);
      train = Encoded.of(encoder.encodeAll(ChatDataset.read(job.resolve(JobFolder.TRAINING_DATA))));
      validation =
          Encoded.of(encoder.encodeAll(ChatDataset.read(job.resolve(JobFolder.VALIDATION_DATA))));
      padId = ChatEncoder.padTokenId(modelDir, tokenizer);
    }
    System.err.println("job directory " + job);

    long started = System.nanoTime();
    double baseLoss;
    try (LlamaModel model = LlamaModel.load(modelDir, lora, seed)) {
      // LoRA B starts at zero, so this is the base model's loss.
      baseLoss = heldOutLoss(model, validation.kept, batch, padId);
    }
    double baseSeconds = (System.nanoTime() - started) / 1e9;
    System.err.printf(
        Locale.ROOT, "base model: validation loss %.4f (%.1f s)%n", baseLoss, baseSeconds);

    JobProgress progress = new JobProgress();
    started = System.nanoTime();
    JobResult result;
    try (PrintStream events =
        new PrintStream(new LineSink(progress::accept), true, StandardCharsets.UTF_8)) {
      result = TrainingJobMain.run(job, events);
    }
    double jobSeconds = (System.nanoTime() - started) / 1e9;
    if (result.status() != JobResult.Status.SUCCEEDED) {
      throw new IllegalStateException("the training job failed: " + result.reason());
    }

    double reloadedLoss;
    try (LlamaModel model = LlamaModel.load(modelDir, lora, seed)) {
      loadAdapter(model, job.resolve(JobFolder.ADAPTER).resolve("adapter_model.safetensors"));
      reloadedLoss = heldOutLoss(model, validation.kept, batch, padId);
    }

    double tunedLoss = progress.validation.getLast()[1];
    double unigram = unigramLoss(train.kept, validation.kept);
    List<Double> losses = progress.losses;
    System.out.println();
    System.out.println(
        "Learning: LoRA fine-tune of the demo model on SROIE receipts (TrainingJobMain), fp32, CPU");
    System.out.printf(
        Locale.ROOT,
        "  model        %s, hidden %s, %s layers, %s heads (%s kv), intermediate %s,"
            + " byte-level vocab, random weights%n",
        options.text("architecture"),
        options.text("hidden"),
        options.text("layers"),
        options.text("heads"),
        options.text("kv-heads"),
        options.text("intermediate"));
    System.out.printf(
        Locale.ROOT,
        "  LoRA         r %d, alpha %s, dropout %s on %s%n",
        lora.r(),
        lora.alpha(),
        lora.dropout(),
        String.join(",", lora.targetModules()));
    System.out.printf(
        Locale.ROOT,
        "  training     %d epoch(s), batch %d, lr %s (10 %% warm-up, linear decay), max length"
            + " %d, %d thread(s)%n",
        options.integer("epochs"),
        batch,
        options.text("lr"),
        maxLength,
        threads);
    System.out.printf(Locale.ROOT, "  train set    %s%n", train.describe(maxLength));
    System.out.printf(Locale.ROOT, "  validation   %s%n", validation.describe(maxLength));
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "  steps                            %d (%d tokens)%n",
        result.steps(),
        result.trainedTokens());
    System.out.printf(
        Locale.ROOT,
        "  time                             %.0f s for the job (%.0f s in training steps),"
            + " %.0f s for the base model's loss%n",
        jobSeconds,
        progress.stepSeconds,
        baseSeconds);
    System.out.printf(
        Locale.ROOT,
        "  training loss, first / last 10   %.3f / %.3f%n",
        mean(losses.subList(0, Math.min(10, losses.size()))),
        mean(losses.subList(Math.max(0, losses.size() - 10), losses.size())));
    System.out.printf(Locale.ROOT, "  validation loss, base model      %.4f%n", baseLoss);
    for (double[] point : progress.validation) {
      System.out.printf(
          Locale.ROOT, "  validation loss, step %-10d %.4f%n", (int) point[0], point[1]);
    }
    System.out.printf(
        Locale.ROOT,
        "  validation loss, adapter reloaded %.4f (from adapter_model.safetensors)%n",
        reloadedLoss);
    System.out.printf(
        Locale.ROOT,
        "  for scale: answer-token frequencies %.4f (the train set's unigram distribution, no context)%n",
        unigram);
    System.out.printf(
        Locale.ROOT,
        "  tuned / base                     %.3f (perplexity %.1f -> %.1f)%n",
        tunedLoss / baseLoss,
        Math.exp(baseLoss),
        Math.exp(tunedLoss));
    Path summaryFile = job.resolve(EvaluationFiles.SUMMARY);
    if (Files.isRegularFile(summaryFile)) {
      EvaluationSummary evaluation =
          JSON.readValue(Files.readString(summaryFile), EvaluationSummary.class);
      System.out.printf(
          Locale.ROOT,
          "  evaluation                       %d examples, greedy, max %d new tokens: %.1f s, %d tokens"
              + " generated (%.0f tokens/s, base and tuned)%n",
          evaluation.examples(),
          evaluation.maxNewTokens(),
          evaluation.seconds(),
          evaluation.generatedTokens(),
          evaluation.generatedTokens() / evaluation.seconds());
      if (evaluation.base() != null && evaluation.tuned() != null) {
        System.out.printf(
            Locale.ROOT,
            "  evaluation scores, base / tuned  loss %.3f / %.3f, token accuracy %.1f %% / %.1f %%%n",
            evaluation.base().loss(),
            evaluation.tuned().loss(),
            100 * evaluation.base().tokenAccuracy(),
            100 * evaluation.tuned().tokenAccuracy());
      }
      if (evaluation.error() != null) {
        System.out.println("  evaluation error                 " + evaluation.error());
      }
    }
  }

  /**
   * Token-weighted mean loss over held-out examples, no dropout, no gradients, as the trainer
   * measures it.
   */
  static double heldOutLoss(
      LlamaModel model, List<EncodedExample> examples, int batchSize, long padId) {
    double weighted = 0;
    long tokens = 0;
    try (NDManager root = NDManager.newBaseManager()) {
      for (int from = 0; from < examples.size(); from += batchSize) {
        TokenBatch batch =
            Batches.collate(
                examples.subList(from, Math.min(from + batchSize, examples.size())), padId);
        try (NDManager scope = root.newSubManager()) {
          weighted += model.loss(scope, batch, false).getFloat() * (double) batch.trainableTokens();
          tokens += batch.trainableTokens();
        }
      }
    }
    return weighted / tokens;
  }

  /**
   * Cross-entropy on the validation labels of the train labels' token frequencies (add-one
   * smoothed): what a model that knew the answers' alphabet but read no context would score.
   */
  static double unigramLoss(List<EncodedExample> train, List<EncodedExample> validation) {
    Map<Long, Long> counts = new HashMap<>();
    long total = 0;
    for (EncodedExample example : train) {
      for (int i = 1; i < example.length(); i++) {
        if (example.labels()[i] != TokenBatch.IGNORE) {
          counts.merge(example.labels()[i], 1L, Long::sum);
          total++;
        }
      }
    }
    int vocabulary =
        1 + (int) validation.stream().flatMapToLong(e -> Arrays.stream(e.labels())).max().orElse(0);
    vocabulary =
        Math.max(vocabulary, 1 + counts.keySet().stream().mapToInt(Long::intValue).max().orElse(0));
    double loss = 0;
    long tokens = 0;
    for (EncodedExample example : validation) {
      for (int i = 1; i < example.length(); i++) {
        long label = example.labels()[i];
        if (label != TokenBatch.IGNORE) {
          loss -= Math.log((counts.getOrDefault(label, 0L) + 1.0) / (total + vocabulary));
          tokens++;
        }
      }
    }
    return loss / tokens;
  }

  /** Overwrites the model's LoRA matrices with a PEFT adapter's, outside any gradient collector. */
  private static void loadAdapter(LlamaModel model, Path adapter) throws IOException {
    Map<String, Tensor> tensors = SafeTensors.read(adapter).tensors();
    for (Map.Entry<String, NDArray> entry : model.loraParameters().entrySet()) {
      Tensor value = tensors.get("base_model.model." + entry.getKey());
      if (value == null) {
        throw new IllegalStateException("the adapter lacks " + entry.getKey());
      }
      NDArray target = entry.getValue();
      try (NDManager scope = target.getManager().newSubManager()) {
        scope.tempAttachAll(target);
        target.muli(scope.create(0f)).addi(scope.create(value.values(), new Shape(value.shape())));
      }
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Encoded examples of one file and what truncation did to them. */
  private record Encoded(int total, int truncated, int dropped, List<EncodedExample> kept) {

    static Encoded of(List<EncodedExample> examples) {
      List<EncodedExample> kept = examples.stream().filter(e -> e.trainableTokens() > 0).toList();
      int truncated = (int) examples.stream().filter(EncodedExample::truncated).count();
      return new Encoded(examples.size(), truncated, examples.size() - kept.size(), kept);
    }

    String describe(int maxLength) {
      long answerTokens = kept.stream().mapToLong(EncodedExample::trainableTokens).sum();
      return String.format(
          Locale.ROOT,
          "%d examples, %d longer than %d tokens and truncated: %d of those lost their"
              + " whole answer and are left out, %d keep part of it; %d examples, %d answer tokens used",
          total,
          truncated,
          maxLength,
          dropped,
          truncated - dropped,
          kept.size(),
          answerTokens);
    }
  }

  /** Follows the job's JSON event lines: step losses, validation losses, time spent in steps. */
  private static final class JobProgress {
    final List<Double> losses = new ArrayList<>();
    final List<double[]> validation = new ArrayList<>();
    double stepSeconds;
    private long tokens;

    void accept(String line) {
      JsonNode event = JSON.readTree(line);
      switch (JobEvent.Type.fromWire(event.path("type").asString())) {
        case METRIC -> {
          int step = event.path("step").asInt();
          losses.add(event.path("loss").asDouble());
          double perSecond = event.path("tokensPerSecond").asDouble();
          long now = event.path("tokens").asLong();
          stepSeconds += perSecond > 0 ? (now - tokens) / perSecond : 0;
          tokens = now;
          if (step % 10 == 0 || step == event.path("totalSteps").asInt()) {
            System.err.printf(
                Locale.ROOT,
                "step %d/%d loss %.3f, %.0f tokens/s%n",
                step,
                event.path("totalSteps").asInt(),
                event.path("loss").asDouble(),
                perSecond);
          }
        }
        case VALIDATION -> {
          validation.add(new double[] {event.path("step").asInt(), event.path("loss").asDouble()});
          System.err.println(event.path("message").asString());
        }
        case SAMPLE ->
            System.err.println(
                "sample at step "
                    + event.path("step").asInt()
                    + ": "
                    + event.path("message").asString());
        default -> System.err.println(event.path("message").asString());
      }
    }
  }
}
