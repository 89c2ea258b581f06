package dev.tuneforge.node.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.node.model.LlamaModel;
import dev.tuneforge.node.model.TokenBatch;
import dev.tuneforge.protocol.JobEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The LoRA training loop: seeded shuffles per epoch, one GradientCollector and one NDManager
 * scope per step, AdamW with warm-up and linear decay, a metric event after every step.
 */
public final class Trainer {

  private final LlamaModel model;
  private final List<EncodedExample> examples;
  private final long padTokenId;
  private final int epochs;
  private final int batchSize;
  private final double learningRate;
  private final int maxSteps;
  private final long seed;
  private final double warmupRatio;
  private final double weightDecay;
  private final double maxGradNorm;
  private final Consumer<JobEvent> listener;

  private Trainer(Builder builder) {
    this.model = Objects.requireNonNull(builder.model, "model");
    this.examples = List.copyOf(Objects.requireNonNull(builder.examples, "examples"));
    this.padTokenId = builder.padTokenId;
    this.epochs = builder.epochs;
    this.batchSize = builder.batchSize;
    this.learningRate = builder.learningRate;
    this.maxSteps = builder.maxSteps;
    this.seed = builder.seed;
    this.warmupRatio = builder.warmupRatio;
    this.weightDecay = builder.weightDecay;
    this.maxGradNorm = builder.maxGradNorm;
    this.listener = builder.listener;
    if (examples.isEmpty() || epochs <= 0 || batchSize <= 0 || !(learningRate > 0)) {
      throw new IllegalArgumentException("training needs examples, epochs > 0, batch size > 0 and a learning rate > 0");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public int totalSteps() {
    int perEpoch = (examples.size() + batchSize - 1) / batchSize;
    long total = (long) perEpoch * epochs;
    return (int) (maxSteps > 0 ? Math.min(total, maxSteps) : Math.min(total, Integer.MAX_VALUE));
  }

  public TrainingSummary train() {
    int total = totalSteps();
    LearningRateSchedule schedule = LearningRateSchedule.withWarmupRatio(learningRate, warmupRatio, total);
    Engine.getInstance().setRandomSeed((int) seed);
    Random shuffler = new Random(seed);
    List<Double> losses = new ArrayList<>();
    long tokens = 0;
    int step = 0;
    try (AdamW optimizer = new AdamW(model.loraParameters(), weightDecay);
        NDManager root = NDManager.newBaseManager()) {
      while (step < total) {
        List<EncodedExample> order = new ArrayList<>(examples);
        Collections.shuffle(order, shuffler);
        for (int from = 0; from < order.size() && step < total; from += batchSize) {
          step++;
          TokenBatch batch = Batches.collate(order.subList(from, Math.min(from + batchSize, order.size())), padTokenId);
          double rate = schedule.at(step);
          long started = System.nanoTime();
          double loss = trainStep(root, optimizer, batch, rate, step);
          double seconds = (System.nanoTime() - started) / 1e9;
          tokens += batch.realTokens();
          losses.add(loss);
          listener.accept(JobEvent.metric(step, total, loss, rate, batch.realTokens() / seconds, tokens));
        }
      }
    }
    return new TrainingSummary(step, tokens, losses);
  }

  private double trainStep(NDManager root, AdamW optimizer, TokenBatch batch, double rate, int step) {
    try (NDManager scope = root.newSubManager()) {
      NDArray loss;
      // Only one collector may exist per JVM; it must be closed before the optimizer runs.
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        loss = model.loss(scope, batch, true);
        collector.backward(loss);
      }
      double value = loss.getFloat();
      if (!Double.isFinite(value)) {
        throw new TrainingFailedException("loss became " + (Double.isNaN(value) ? "NaN" : "infinite") + " at step " + step);
      }
      optimizer.step(scope, rate, maxGradNorm);
      return value;
    }
  }

  /** {@code setX} for what training cannot go without, {@code optX} for the rest. */
  public static final class Builder {
    private @Nullable LlamaModel model;
    private @Nullable List<EncodedExample> examples;
    private long padTokenId;
    private int epochs = 1;
    private int batchSize = 4;
    private double learningRate = 1e-4;
    private int maxSteps;
    private long seed = 42;
    private double warmupRatio = 0.1;
    private double weightDecay;
    private double maxGradNorm = 1.0;
    private Consumer<JobEvent> listener = event -> {};

    private Builder() {}

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

    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder optLearningRate(double learningRate) {
      this.learningRate = learningRate;
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

    public Builder optListener(Consumer<JobEvent> listener) {
      this.listener = listener;
      return this;
    }

    public Trainer build() {
      return new Trainer(this);
    }
  }
}
