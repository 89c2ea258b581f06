package dev.tuneforge.trainingnode.train;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.PreferenceMetrics;
import dev.tuneforge.protocol.PreferenceSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The training loop, for LoRA or full fine-tuning alike (it updates whatever {@link
 * LlamaModel#trainableParameters()} holds): a seeded shuffle per epoch, gradient accumulation over
 * micro-batches, one GradientCollector and one NDManager scope per step, AdamW with warm-up and
 * linear or cosine decay, a metric event after every step, validation loss with optional early
 * stopping and sample answers, checkpoints from which a run continues exactly, and a stop on
 * request at a checkpoint. With preference pairs ({@link Builder#optPreferencePairs}) each example
 * is a pair, trained with {@link DpoLoss}, and each metric event carries the step's rewards.
 */
public final class Trainer {

  /**
   * Receives a checkpoint every {@code checkpointEvery} steps, at the last step and on early
   * stopping.
   */
  @FunctionalInterface
  public interface CheckpointSink {
    void save(TrainingCheckpoint checkpoint) throws IOException;
  }

  /**
   * Answers to a few validation prompts by the model as trained so far, asked each time the
   * validation loss is measured. It must draw on no random stream of the run (decode greedily).
   */
  @FunctionalInterface
  public interface Samples {
    List<String> answers();
  }

  /**
   * The micro field F1 of the model so far on a fixed sample of validation prompts, asked each time
   * the validation loss is measured; null when it is undefined (nothing expected nor answered). It
   * must draw on no random stream of the run (decode greedily).
   */
  @FunctionalInterface
  public interface FieldF1 {
    @Nullable Double measure();

    /** How many validation prompts it answers, for the event's message. */
    default int examples() {
      return 0;
    }
  }

  /** Asked after every optimiser step but the last; a reason stops the run there. */
  @FunctionalInterface
  public interface StopRequest {
    @Nullable String reason();
  }

  private final LlamaModel model;
  private final List<EncodedExample> examples;
  private final long padTokenId;
  private final int epochs;
  private final int batchSize;
  private final int gradientAccumulation;
  private final double learningRate;
  private final LearningRateSchedule.Decay decay;
  private final int maxSteps;
  private final long seed;
  private final double warmupRatio;
  private final double weightDecay;
  private final double maxGradNorm;
  private final List<EncodedExample> validationExamples;
  private final int validationEvery;
  private final int earlyStoppingPatience;
  private final int checkpointEvery;
  private final CheckpointSink checkpoints;
  private final @Nullable TrainingCheckpoint resumeFrom;
  private final @Nullable TrainingCheckpoint continueFrom;
  private final boolean continueOptimizer;
  private final Consumer<JobEvent> listener;
  private final Samples samples;
  private final @Nullable FieldF1 fieldF1;
  private final boolean stopOnFieldF1;
  private final StopRequest stopRequest;
  private final int packedRowLength;
  private final List<EncodedExample> rejected;
  private final @Nullable DpoLoss dpo;
  private @Nullable PreferenceMetrics rewards;

  private Trainer(Builder builder) {
    this.model = Objects.requireNonNull(builder.model, "model");
    this.examples = List.copyOf(Objects.requireNonNull(builder.examples, "examples"));
    this.padTokenId = builder.padTokenId;
    this.epochs = builder.epochs;
    this.batchSize = builder.batchSize;
    this.gradientAccumulation = builder.gradientAccumulation;
    this.learningRate = builder.learningRate;
    this.decay = builder.decay;
    this.maxSteps = builder.maxSteps;
    this.seed = builder.seed;
    this.warmupRatio = builder.warmupRatio;
    this.weightDecay = builder.weightDecay;
    this.maxGradNorm = builder.maxGradNorm;
    this.validationExamples = List.copyOf(builder.validationExamples);
    this.validationEvery = builder.validationEvery;
    this.earlyStoppingPatience = builder.earlyStoppingPatience;
    this.checkpointEvery = builder.checkpointEvery;
    this.checkpoints = builder.checkpoints;
    this.resumeFrom = builder.resumeFrom;
    this.continueFrom = builder.continueFrom;
    this.continueOptimizer = builder.continueOptimizer;
    this.listener = builder.listener;
    this.samples = builder.samples;
    this.fieldF1 = builder.fieldF1;
    this.stopOnFieldF1 = builder.stopOnFieldF1;
    this.stopRequest = builder.stopRequest;
    this.packedRowLength = builder.packedRowLength;
    this.rejected = List.copyOf(builder.rejected);
    this.dpo = builder.dpo;
    if (dpo != null && (rejected.size() != examples.size() || packedRowLength > 0)) {
      throw new IllegalArgumentException(
          "DPO needs one rejected answer per chosen one, and packs no rows");
    }
    if (examples.isEmpty() || epochs <= 0 || batchSize <= 0 || !(learningRate > 0)) {
      throw new IllegalArgumentException(
          "training needs examples, epochs > 0, batch size > 0 and a learning rate > 0");
    }
    if (packedRowLength < 0) {
      throw new IllegalArgumentException("the packed row length must be positive (0: no packing)");
    }
    if (stopOnFieldF1 && fieldF1 == null) {
      throw new IllegalArgumentException("early stopping on field F1 needs a field F1 to measure");
    }
    if (gradientAccumulation <= 0
        || checkpointEvery < 0
        || validationEvery < 0
        || earlyStoppingPatience < 0) {
      throw new IllegalArgumentException(
          "gradientAccumulation must be positive; checkpointEvery, validationEvery and earlyStoppingPatience not negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Examples one optimiser step consumes: {@code batchSize} per micro-batch times the accumulation.
   */
  int examplesPerStep() {
    return batchSize * gradientAccumulation;
  }

  public int totalSteps() {
    int perEpoch = (examples.size() + examplesPerStep() - 1) / examplesPerStep();
    long total = (long) perEpoch * epochs;
    return (int) (maxSteps > 0 ? Math.min(total, maxSteps) : Math.min(total, Integer.MAX_VALUE));
  }

  public TrainingSummary train() throws IOException {
    return train(Integer.MAX_VALUE);
  }

  /**
   * Trains until the last step, early stopping, a stop request, or {@code stopAfter} steps (a
   * stand-in for a lost node). A stop request ends the run after the step in progress with a
   * checkpoint of that step, from which a resume continues exactly.
   */
  TrainingSummary train(int stopAfter) throws IOException {
    // A continued run counts on from its source's step; its own schedule spans its own steps.
    int offset = continueFrom == null ? 0 : continueFrom.state().step();
    int total = offset + totalSteps();
    LearningRateSchedule schedule =
        LearningRateSchedule.withWarmupRatio(decay, learningRate, warmupRatio, totalSteps());
    DataOrder order = new DataOrder(examples.size(), seed);
    RunProgress progress = new RunProgress(new EarlyStopping(earlyStoppingPatience, stopOnFieldF1));
    String stopReason = null;
    try (AdamW optimizer =
            new AdamW(
                model.trainableParameters(), weightDecay, model.parametersWithoutWeightDecay());
        NDManager root = NDManager.newBaseManager(model.device())) {
      if (resumeFrom != null) {
        checkResumable(resumeFrom, total, schedule);
        restoreWeights(resumeFrom.weights());
        optimizer.restore(resumeFrom.optimizer());
        progress.restore(resumeFrom.state());
      } else if (continueFrom != null) {
        restoreWeights(continueFrom.weights());
        if (continueOptimizer) {
          optimizer.restore(continueFrom.optimizer());
        }
        progress.step = offset;
      }
      while (progress.step < total
          && progress.step - offset < stopAfter
          && !progress.stoppedEarly
          && stopReason == null) {
        List<Integer> indices = order.epoch(progress.epoch);
        int end = Math.min(progress.position + examplesPerStep(), indices.size());
        List<TokenBatch> microBatches = microBatches(indices.subList(progress.position, end));
        int step = progress.step + 1;
        double rate = schedule.at(step - offset);
        long started = System.nanoTime();
        double loss = trainStep(root, optimizer, microBatches, rate, step, order.dropoutSeed(step));
        double seconds = (System.nanoTime() - started) / 1e9;
        long stepTokens = microBatches.stream().mapToLong(TokenBatch::realTokens).sum();
        progress.advance(loss, stepTokens, end, indices.size());
        double speed = stepTokens / seconds;
        listener.accept(JobEvent.metric(step, total, loss, rate, speed, progress.tokens, rewards));
        boolean last = step == total;
        if (!validationExamples.isEmpty()
            && (last || (validationEvery > 0 && step % validationEvery == 0))) {
          validate(root, progress, step, total);
        }
        stopReason = last || progress.stoppedEarly ? null : stopRequest.reason();
        if (last
            || progress.stoppedEarly
            || stopReason != null
            || (checkpointEvery > 0 && step % checkpointEvery == 0)) {
          checkpoints.save(snapshot(progress, total, schedule, optimizer));
        }
      }
    }
    return new TrainingSummary(
        progress.step,
        progress.tokens,
        progress.losses,
        progress.validationLosses,
        progress.stoppedEarly,
        stopReason);
  }

  /**
   * The step's examples, {@code batchSize} to a padded micro-batch; with packing, first fit into
   * rows of {@code packedRowLength} tokens, {@code batchSize} rows to a micro-batch. Either way the
   * step holds the same examples in the same order, so the loss is the same.
   */
  private List<TokenBatch> microBatches(List<Integer> stepIndices) {
    List<EncodedExample> stepExamples = stepIndices.stream().map(examples::get).toList();
    if (dpo != null) {
      List<TokenBatch> pairs = new ArrayList<>();
      for (int from = 0; from < stepIndices.size(); from += batchSize) {
        List<Integer> micro =
            stepIndices.subList(from, Math.min(from + batchSize, stepIndices.size()));
        List<EncodedExample> rows = new ArrayList<>(micro.stream().map(examples::get).toList());
        rows.addAll(micro.stream().map(rejected::get).toList());
        pairs.add(Batches.collate(rows, padTokenId));
      }
      return pairs;
    }
    if (packedRowLength > 0) {
      return Batches.pack(stepExamples, packedRowLength, batchSize, padTokenId);
    }
    List<TokenBatch> microBatches = new ArrayList<>();
    for (int from = 0; from < stepExamples.size(); from += batchSize) {
      microBatches.add(
          Batches.collate(
              stepExamples.subList(from, Math.min(from + batchSize, stepExamples.size())),
              padTokenId));
    }
    return microBatches;
  }

  private double trainStep(
      NDManager root,
      AdamW optimizer,
      List<TokenBatch> microBatches,
      double rate,
      int step,
      int dropoutSeed) {
    // Reseeding per step makes the dropout masks a function of (seed, step), so that a resumed
    // run draws the same masks as one that never stopped.
    Engine.getInstance().setRandomSeed(dropoutSeed);
    try (NDManager scope = root.newSubManager()) {
      double value = accumulateGradients(scope, microBatches);
      if (!Double.isFinite(value)) {
        throw new TrainingFailedException(
            "loss became " + (Double.isNaN(value) ? "NaN" : "infinite") + " at step " + step);
      }
      try {
        optimizer.step(scope, rate, maxGradNorm);
      } catch (TrainingFailedException e) {
        throw new TrainingFailedException(e.getMessage() + " at step " + step);
      }
      return value;
    } catch (OutOfMemoryError e) {
      throw outOfMemory(step, e);
    } catch (EngineException e) {
      if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("memory")) {
        throw outOfMemory(step, e);
      }
      throw e;
    }
  }

  /**
   * Runs forward and backward over the micro-batches, leaving the summed gradients on the trainable
   * parameters. Each micro-batch's mean loss is weighted by its share of the step's labelled
   * tokens, so the gradients and the returned loss are those of one batch holding them all.
   */
  double accumulateGradients(NDManager scope, List<TokenBatch> microBatches) {
    if (dpo != null) {
      return accumulatePreferenceGradients(scope, microBatches, dpo);
    }
    long counted = microBatches.stream().mapToLong(TokenBatch::trainableTokens).sum();
    double total = 0;
    // Only one collector may exist per JVM; it must be closed before the optimizer runs.
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      for (TokenBatch batch : microBatches) {
        try (NDManager micro = scope.newSubManager()) {
          NDArray loss = model.loss(micro, batch, true);
          if (microBatches.size() > 1) {
            loss = loss.mul(micro.create((float) ((double) batch.trainableTokens() / counted)));
          }
          collector.backward(loss);
          total += loss.getFloat();
        }
      }
    }
    return total;
  }

  /**
   * As {@link #accumulateGradients} for pairs: each micro-batch's mean loss weighted by its share
   * of the step's pairs; the reference log-probabilities are read first, outside the collector.
   */
  private double accumulatePreferenceGradients(
      NDManager scope, List<TokenBatch> microBatches, DpoLoss loss) {
    List<float[]> references = new ArrayList<>();
    for (TokenBatch batch : microBatches) {
      references.add(DpoLoss.referenceLogProbs(scope, model, batch));
    }
    int pairs = microBatches.stream().mapToInt(b -> b.batchSize() / 2).sum();
    double total = 0;
    double chosen = 0;
    double rejectedRewards = 0;
    int correct = 0;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      for (int i = 0; i < microBatches.size(); i++) {
        try (NDManager micro = scope.newSubManager()) {
          DpoLoss.Result result =
              loss.compute(micro, model, microBatches.get(i), references.get(i), true);
          NDArray value = result.loss();
          if (microBatches.size() > 1) {
            value = value.mul(micro.create((float) ((double) result.pairs() / pairs)));
          }
          collector.backward(value);
          total += value.getFloat();
          chosen += result.chosenRewards();
          rejectedRewards += result.rejectedRewards();
          correct += result.correct();
        }
      }
    }
    rewards =
        new PreferenceMetrics(
            chosen / pairs,
            rejectedRewards / pairs,
            (chosen - rejectedRewards) / pairs,
            (double) correct / pairs);
    return total;
  }

  private void validate(NDManager root, RunProgress progress, int step, int total) {
    double loss = HeldOutLoss.of(model, root, validationExamples, batchSize, padTokenId);
    progress.validationLosses.add(new TrainerState.ValidationLoss(step, loss));
    String message = String.format(Locale.ROOT, "validation loss %.4f at step %d", loss, step);
    listener.accept(JobEvent.validation(step, total, loss, message));
    sample(step);
    Double f1 = measureFieldF1(step, total);
    // An undefined F1 (nothing expected nor answered) is no improvement on any defined one.
    double watched = stopOnFieldF1 ? (f1 == null ? 0 : f1) : loss;
    boolean stop = progress.earlyStopping.record(watched);
    if (progress.earlyStopping.active() && progress.earlyStopping.improved()) {
      progress.keepBest(step, model.exportTrainable());
    }
    if (stop && step < total) {
      progress.stoppedEarly = true;
      String metric = stopOnFieldF1 ? "field F1" : "validation loss";
      listener.accept(
          JobEvent.log(
              String.format(
                  Locale.ROOT,
                  "early stopping at step %d: %s has not improved on %.4f for %d evaluations",
                  step,
                  metric,
                  progress.earlyStopping.best(),
                  earlyStoppingPatience)));
      restoreBest(progress, step, metric);
    }
  }

  private @Nullable Double measureFieldF1(int step, int total) {
    if (fieldF1 == null) {
      return null;
    }
    Double f1 = fieldF1.measure();
    if (f1 == null) {
      listener.accept(
          JobEvent.log("field F1 at step " + step + " is undefined: nothing expected nor given"));
    } else {
      listener.accept(
          JobEvent.fieldF1(
              step,
              total,
              f1,
              String.format(
                  Locale.ROOT,
                  "field F1 %.4f on %d validation examples at step %d",
                  f1,
                  fieldF1.examples(),
                  step)));
    }
    return f1;
  }

  /**
   * Early stopping keeps the weights of the best measurement, not those of the patience after it:
   * the checkpoint written now and the adapter hold them. A run resumed after its best measurement
   * no longer has those weights and keeps its last ones, and says so.
   */
  private void restoreBest(RunProgress progress, int step, String metric) {
    if (progress.bestWeights == null) {
      listener.accept(
          JobEvent.log(
              "the weights of the best "
                  + metric
                  + " were measured before a resume and are not held; keeping step "
                  + step
                  + "'s"));
      return;
    }
    AdamW.assign(model.trainableParameters(), progress.bestWeights);
    listener.accept(
        JobEvent.log(
            String.format(
                Locale.ROOT,
                "kept the weights of step %d, the best %s (%.4f)",
                progress.bestStep,
                metric,
                progress.earlyStopping.best())));
  }

  /**
   * Between steps, outside any GradientCollector; each step reseeds the engine before its dropout.
   */
  private void sample(int step) {
    List<String> answers;
    try {
      answers = samples.answers();
    } catch (RuntimeException e) {
      listener.accept(JobEvent.log("no sample answer at step " + step + ": " + e.getMessage()));
      return;
    }
    answers.forEach(answer -> listener.accept(JobEvent.sample(step, answer)));
  }

  private TrainingCheckpoint snapshot(
      RunProgress progress, int total, LearningRateSchedule schedule, AdamW optimizer) {
    TrainerState state =
        TrainerState.builder()
            .setStep(progress.step, total)
            .setPosition(progress.epoch, progress.position)
            .setSeed(seed, DataOrder.SCHEME)
            .setBatches(examples.size(), batchSize, gradientAccumulation)
            .setSchedule(schedule)
            .setTrained(optimizer.steps(), progress.tokens)
            .optLosses(progress.losses)
            .optValidationLosses(progress.validationLosses)
            .optEarlyStopping(
                progress.earlyStopping.best(),
                progress.earlyStopping.withoutImprovement(),
                progress.stoppedEarly)
            .build();
    return new TrainingCheckpoint(state, model.exportTrainable(), optimizer.state());
  }

  private void checkResumable(
      TrainingCheckpoint checkpoint, int total, LearningRateSchedule schedule) {
    TrainerState state = checkpoint.state();
    List<String> differences = new ArrayList<>();
    compare(differences, "format version", state.formatVersion(), TrainerState.FORMAT_VERSION);
    compare(differences, "random number scheme", state.rngScheme(), DataOrder.SCHEME);
    compare(differences, "seed", state.seed(), seed);
    compare(differences, "number of training examples", state.examples(), examples.size());
    compare(differences, "batch size", state.batchSize(), batchSize);
    compare(
        differences, "gradient accumulation", state.gradientAccumulation(), gradientAccumulation);
    compare(differences, "total steps", state.totalSteps(), total);
    compare(differences, "learning rate schedule", state.schedule(), schedule);
    if (!differences.isEmpty()) {
      throw new CheckpointException(
          "cannot resume from "
              + checkpoint.name()
              + ": it was trained with another "
              + String.join(", ", differences));
    }
  }

  private static void compare(List<String> differences, String what, Object saved, Object current) {
    if (!saved.equals(current)) {
      differences.add(what + " (checkpoint " + saved + ", this run " + current + ")");
    }
  }

  private void restoreWeights(Map<String, Tensor> saved) {
    Map<String, NDArray> parameters = model.trainableParameters();
    boolean matches =
        saved.size() == parameters.size()
            && parameters.entrySet().stream()
                .allMatch(
                    e ->
                        saved.containsKey(e.getKey())
                            && Arrays.equals(
                                saved.get(e.getKey()).shape(), e.getValue().getShape().getShape()));
    if (!matches) {
      throw new CheckpointException(
          model.fullFineTuning()
              ? "the checkpoint's weights are not those of this model (another architecture, or a LoRA checkpoint)"
              : "the checkpoint's adapter has other LoRA matrices than this model (rank or target modules differ)");
    }
    AdamW.assign(parameters, saved);
  }

  private static TrainingFailedException outOfMemory(int step, Throwable cause) {
    return new TrainingFailedException(
        "out of memory at step "
            + step
            + " ("
            + cause.getMessage()
            + "); try a smaller batch size or maxSequenceLength, with gradient accumulation to keep the effective batch");
  }

  /** {@code setX} for what training cannot go without, {@code optX} for the rest. */
  public static final class Builder {
    private @Nullable LlamaModel model;
    private @Nullable List<EncodedExample> examples;
    private long padTokenId;
    private int epochs = 1;
    private int batchSize = 4;
    private int gradientAccumulation = 1;
    private double learningRate = 1e-4;
    private LearningRateSchedule.Decay decay = LearningRateSchedule.Decay.LINEAR;
    private int maxSteps;
    private long seed = 42;
    private double warmupRatio = 0.1;
    private double weightDecay;
    private double maxGradNorm = 1.0;
    private List<EncodedExample> validationExamples = List.of();
    private int validationEvery;
    private int earlyStoppingPatience;
    private int checkpointEvery;
    private CheckpointSink checkpoints = checkpoint -> {};
    private @Nullable TrainingCheckpoint resumeFrom;
    private @Nullable TrainingCheckpoint continueFrom;
    private boolean continueOptimizer;
    private Consumer<JobEvent> listener = event -> {};
    private Samples samples = List::of;
    private @Nullable FieldF1 fieldF1;
    private boolean stopOnFieldF1;
    private StopRequest stopRequest = () -> null;
    private int packedRowLength;
    private List<EncodedExample> rejected = List.of();
    private @Nullable DpoLoss dpo;

    private Builder() {}

    /**
     * Trains on preference pairs with DPO's loss: the examples given to {@link #setExamples} are
     * the chosen answers, {@code rejected} the rejected ones in the same order (each with its
     * prompt, labelled only on the answer).
     */
    public Builder optPreferencePairs(List<EncodedExample> rejected, PreferenceSettings settings) {
      this.rejected = rejected;
      this.dpo = new DpoLoss(settings);
      return this;
    }

    public Builder setModel(LlamaModel model) {
      this.model = model;
      return this;
    }

    /** Examples with at least one labelled token; padding uses {@code padTokenId}. */
    public Builder setExamples(List<EncodedExample> examples, long padTokenId) {
      this.examples = examples;
      this.padTokenId = padTokenId;
      return this;
    }

    public Builder optEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Examples per forward pass (micro-batch). */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Micro-batches whose gradients are summed before each optimiser step. */
    public Builder optGradientAccumulation(int gradientAccumulation) {
      this.gradientAccumulation = gradientAccumulation;
      return this;
    }

    public Builder optLearningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optDecay(LearningRateSchedule.Decay decay) {
      this.decay = decay;
      return this;
    }

    /** Caps the number of steps when positive. */
    public Builder optMaxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder optWarmupRatio(double warmupRatio) {
      this.warmupRatio = warmupRatio;
      return this;
    }

    public Builder optWeightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder optMaxGradNorm(double maxGradNorm) {
      this.maxGradNorm = maxGradNorm;
      return this;
    }

    /**
     * Held-out examples whose loss is measured every {@code every} steps (0: only after the last
     * step); with {@code earlyStoppingPatience} above 0 the run stops once that many measurements
     * in a row did not improve on the best.
     */
    public Builder optValidation(
        List<EncodedExample> examples, int every, int earlyStoppingPatience) {
      this.validationExamples = examples;
      this.validationEvery = every;
      this.earlyStoppingPatience = earlyStoppingPatience;
      return this;
    }

    /** Hands a checkpoint to {@code sink} every {@code every} steps (0: only at the end). */
    public Builder optCheckpoints(int every, CheckpointSink sink) {
      this.checkpointEvery = every;
      this.checkpoints = sink;
      return this;
    }

    /** Continues from a checkpoint of a run with the same examples and settings. */
    public Builder optResumeFrom(TrainingCheckpoint checkpoint) {
      this.resumeFrom = checkpoint;
      return this;
    }

    /**
     * Starts from another run's checkpoint: its trained weights, its step (this run's steps count
     * on from there, under this run's own schedule and data) and, with {@code withOptimizer}, its
     * optimiser's moments; otherwise the optimiser starts fresh.
     */
    public Builder optContinueFrom(TrainingCheckpoint checkpoint, boolean withOptimizer) {
      this.continueFrom = checkpoint;
      this.continueOptimizer = withOptimizer;
      return this;
    }

    public Builder optListener(Consumer<JobEvent> listener) {
      this.listener = listener;
      return this;
    }

    /** Sends the answers of {@code samples} as {@code sample} events after each validation loss. */
    public Builder optSamples(Samples samples) {
      this.samples = samples;
      return this;
    }

    /**
     * Sends the field F1 of {@code fieldF1} as {@code field_f1} events after each validation loss;
     * with {@code stopOnIt}, early stopping watches it (higher is better) instead of the loss.
     */
    public Builder optFieldF1(FieldF1 fieldF1, boolean stopOnIt) {
      this.fieldF1 = fieldF1;
      this.stopOnFieldF1 = stopOnIt;
      return this;
    }

    /** Asked after each optimiser step whether to stop there (see {@link Trainer#train()}). */
    public Builder optStopRequest(StopRequest stopRequest) {
      this.stopRequest = stopRequest;
      return this;
    }

    /**
     * Packs each step's examples into rows of {@code rowLength} tokens (the maxSequenceLength they
     * were truncated to), {@code batchSize} rows per micro-batch; 0 pads one example per row.
     */
    public Builder optPacking(int rowLength) {
      this.packedRowLength = rowLength;
      return this;
    }

    public Trainer build() {
      return new Trainer(this);
    }
  }
}
