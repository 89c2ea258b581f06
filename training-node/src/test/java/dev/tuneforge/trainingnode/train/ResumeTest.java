package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints and exact resume on the demo model and twelve SROIE receipts. */
class ResumeTest {

  static {
    TestEngine.useOneThread();
  }

  private static final LoraSettings LORA =
      new LoraSettings(4, 8, 0.1, List.of("q_proj", "v_proj", "down_proj"));
  private static final TrainingSpec SPEC =
      new TrainingSpec(
          "job-1",
          "tuneforge/demo",
          LORA,
          new Hyperparameters(10, 5e-3, 2, 1024, 7, 20),
          TrainingOptions.builder().optCheckpointEvery(5).optSchedule("cosine").build());

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path modelDir;
  private static List<EncodedExample> examples;
  private static String dataSha256;

  @BeforeAll
  static void writeModelAndData() throws IOException {
    modelDir = shared.resolve("model");
    DemoModelWriter.builder()
        .optSeed(3)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .build()
        .writeTo(modelDir);
    Path data = shared.resolve("train.jsonl");
    Files.write(data, Files.readAllLines(TrainerTest.SROIE).subList(0, 12));
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      examples = new ChatEncoder(tokenizer, 1024).encodeAll(ChatDataset.read(data));
    }
    dataSha256 = CheckpointStore.sha256(data);
  }

  @Test
  void tenStepsCheckpointAndTenMoreEqualTwentyStraight() throws IOException {
    Path straightDir = dir.resolve("straight/checkpoints");
    Path firstDir = dir.resolve("first/checkpoints");
    Path secondDir = dir.resolve("second/checkpoints");

    TrainingSummary straight;
    Map<String, Tensor> straightAdapter;
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      straight = trainer(model, store(straightDir), new ArrayList<>()).build().train();
      straightAdapter = model.exportLora();
    }
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      trainer(model, store(firstDir), new ArrayList<>()).build().train(10);
    }
    assertThat(firstDir.resolve("step-5")).isDirectory();
    assertThat(firstDir.resolve("step-10")).isDirectory();
    assertThat(firstDir.resolve("step-15")).doesNotExist();

    // Another node: new model (its fresh LoRA drawn from another seed) and trainer.
    TrainingCheckpoint checkpoint = CheckpointStore.read(firstDir.resolve("step-10"));
    store(secondDir).verify(checkpoint);
    List<JobEvent> events = new ArrayList<>();
    TrainingSummary resumed;
    Map<String, Tensor> resumedAdapter;
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 99)) {
      resumed = trainer(model, store(secondDir), events).optResumeFrom(checkpoint).build().train();
      resumedAdapter = model.exportLora();
    }

    assertThat(straight.steps()).isEqualTo(20);
    assertThat(resumed.steps()).isEqualTo(20);
    assertThat(resumed.trainedTokens()).isEqualTo(straight.trainedTokens());
    assertThat(events)
        .filteredOn(e -> e.type() == JobEvent.Type.METRIC)
        .extracting(JobEvent::step)
        .containsExactly(11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
    for (int i = 0; i < 20; i++) {
      assertThat(resumed.losses().get(i))
          .as("loss of step %d", i + 1)
          .isCloseTo(straight.losses().get(i), within(1e-5));
    }
    assertThat(resumedAdapter.keySet()).isEqualTo(straightAdapter.keySet());
    straightAdapter.forEach(
        (name, tensor) -> assertClose(name, resumedAdapter.get(name).values(), tensor.values()));
    TrainingCheckpoint straightEnd = CheckpointStore.read(straightDir.resolve("step-20"));
    TrainingCheckpoint resumedEnd = CheckpointStore.read(secondDir.resolve("step-20"));
    assertThat(resumedEnd.state().optimizerSteps()).isEqualTo(20);
    straightEnd
        .optimizer()
        .secondMoments()
        .forEach(
            (name, tensor) ->
                assertClose(
                    name,
                    resumedEnd.optimizer().secondMoments().get(name).values(),
                    tensor.values()));
    assertThat(resumedEnd.state().epoch()).isEqualTo(straightEnd.state().epoch());
  }

  @Test
  void aCheckpointIsAPeftAdapterPlusOptimizerAndState() throws IOException {
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      trainer(model, store(dir), new ArrayList<>()).build().train(5);
    }
    Path step = dir.resolve("step-5");
    try (var files = Files.list(step)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(
              "adapter_config.json",
              "adapter_model.safetensors",
              "optimizer.safetensors",
              "trainer_state.json");
    }
    assertThat(SafeTensors.shapes(step.resolve("adapter_model.safetensors")))
        .containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
    assertThat(SafeTensors.shapes(step.resolve("optimizer.safetensors")))
        .containsKeys(
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight.exp_avg",
            "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight.exp_avg_sq");
    TrainerState state = CheckpointStore.read(step).state();
    assertThat(state.step()).isEqualTo(5);
    assertThat(state.epoch()).isZero();
    assertThat(state.positionInEpoch()).isEqualTo(10);
    assertThat(state.optimizerSteps()).isEqualTo(5);
    assertThat(state.losses()).hasSize(5);
    assertThat(state.dataSha256()).isEqualTo(dataSha256);
    assertThat(state.spec()).isEqualTo(SPEC);
    assertThat(state.schedule().decay()).isEqualTo(LearningRateSchedule.Decay.COSINE);
  }

  @Test
  void refusesToResumeOnOtherDataOrSettings() throws IOException {
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      trainer(model, store(dir), new ArrayList<>()).build().train(5);
    }
    TrainingCheckpoint checkpoint = CheckpointStore.read(dir.resolve("step-5"));

    assertThatThrownBy(
            () -> new CheckpointStore(dir, SPEC, "0".repeat(64), null).verify(checkpoint))
        .isInstanceOf(CheckpointException.class)
        .hasMessageStartingWith("cannot resume from step-5: the training data differs");
    TrainingSpec otherRate =
        new TrainingSpec(
            "job-1",
            "tuneforge/demo",
            LORA,
            new Hyperparameters(10, 1e-3, 2, 1024, 7, 20),
            SPEC.options());
    assertThatThrownBy(
            () -> new CheckpointStore(dir, otherRate, dataSha256, null).verify(checkpoint))
        .hasMessage(
            "cannot resume from step-5: spec field hyperparameters.learningRate differs (0.005 in the checkpoint, 0.001 now)");
    TrainingSpec otherCadence =
        new TrainingSpec(
            "job-1",
            "tuneforge/demo",
            LORA,
            SPEC.hyperparameters(),
            TrainingOptions.builder()
                .optCheckpointEvery(7)
                .optSchedule("cosine")
                .optWarmupRatio(0.1)
                .optGradientAccumulation(1)
                .optValidationEvery(0)
                .optEarlyStoppingPatience(0)
                .optWeightDecay(0.0)
                .optMaxGradNorm(1.0)
                .build());
    new CheckpointStore(dir, otherCadence, dataSha256, null).verify(checkpoint);

    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      Trainer otherBatch =
          trainer(model, store(dir), new ArrayList<>())
              .optBatchSize(3)
              .optResumeFrom(checkpoint)
              .build();
      assertThatThrownBy(otherBatch::train)
          .isInstanceOf(CheckpointException.class)
          .hasMessageContaining(
              "cannot resume from step-5: it was trained with another batch size (checkpoint 2, this run 3)");
    }
  }

  @Test
  void aNanLossFailsTheRunAndKeepsTheCheckpointBeforeIt() throws IOException {
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      String poisoned = model.loraParameters().keySet().iterator().next();
      NDArray parameter = model.loraParameters().get(poisoned);
      float[] nan = new float[Math.toIntExact(parameter.size())];
      Arrays.fill(nan, Float.NaN);
      List<JobEvent> poisonAfterStep3 =
          new ArrayList<>() {
            @Override
            public boolean add(JobEvent event) {
              if (event.step() != null && event.step() == 3) {
                AdamW.assign(
                    Map.of(poisoned, parameter),
                    Map.of(poisoned, new Tensor(parameter.getShape().getShape(), nan)));
              }
              return super.add(event);
            }
          };
      Trainer trainer =
          trainer(model, store(dir), poisonAfterStep3).optCheckpoints(2, store(dir)::write).build();

      assertThatThrownBy(trainer::train)
          .isInstanceOf(TrainingFailedException.class)
          .hasMessage("loss became NaN at step 4");
    }
    assertThat(dir.resolve("step-2/adapter_model.safetensors")).exists();
    assertThat(dir.resolve("step-4")).doesNotExist();
    assertThat(CheckpointStore.read(dir.resolve("step-2")).state().step()).isEqualTo(2);
  }

  @Test
  void twoMicroBatchesOfTwoGiveTheLossAndGradientsOfOneBatchOfFour() throws IOException {
    LoraSettings noDropout = new LoraSettings(4, 8, 0.0, LORA.targetModules());
    List<EncodedExample> four = examples.subList(0, 4);
    float[][] whole;
    float[][] accumulated;
    double wholeLoss;
    double accumulatedLoss;
    try (LlamaModel model = LlamaModel.load(modelDir, noDropout, 7);
        NDManager scope = NDManager.newBaseManager()) {
      Trainer trainer =
          Trainer.builder().setModel(model).setExamples(four, 0).optBatchSize(4).build();
      wholeLoss = trainer.accumulateGradients(scope, List.of(Batches.collate(four, 0)));
      whole = gradients(model);
    }
    try (LlamaModel model = LlamaModel.load(modelDir, noDropout, 7);
        NDManager scope = NDManager.newBaseManager()) {
      Trainer trainer =
          Trainer.builder()
              .setModel(model)
              .setExamples(four, 0)
              .optBatchSize(2)
              .optGradientAccumulation(2)
              .build();
      List<TokenBatch> micro =
          List.of(Batches.collate(four.subList(0, 2), 0), Batches.collate(four.subList(2, 4), 0));
      accumulatedLoss = trainer.accumulateGradients(scope, micro);
      accumulated = gradients(model);
      assertThat(trainer.totalSteps()).isEqualTo(1);
    }

    assertThat(accumulatedLoss).isCloseTo(wholeLoss, within(1e-5));
    for (int i = 0; i < whole.length; i++) {
      assertClose("gradient " + i, accumulated[i], whole[i]);
    }
    assertThat(Arrays.stream(whole).mapToDouble(g -> Math.abs(g[0])).max().orElseThrow())
        .isPositive();
  }

  @Test
  void aPackedExampleHasTheLogitsAndLossOfTheExampleAlone() throws IOException {
    LoraSettings noDropout = new LoraSettings(4, 8, 0.0, LORA.targetModules());
    List<EncodedExample> three = examples.subList(0, 3);
    int rowLength = three.stream().mapToInt(EncodedExample::length).sum();
    List<TokenBatch> packed = Batches.pack(three, rowLength, 2, 0);
    assertThat(packed).hasSize(1);
    assertThat(packed.getFirst().batchSize()).isEqualTo(1);
    try (LlamaModel model = LlamaModel.load(modelDir, noDropout, 7);
        NDManager step = NDManager.newBaseManager()) {
      randomizeLoraB(model);
      float[] packedLogits = model.logits(step, packed.getFirst(), false).toFloatArray();
      int vocab = packedLogits.length / rowLength;
      int offset = 0;
      for (EncodedExample example : three) {
        TokenBatch alone = Batches.collate(List.of(example), 0);
        float[] expected = model.logits(step, alone, false).toFloatArray();
        float[] actual =
            Arrays.copyOfRange(packedLogits, offset * vocab, (offset + example.length()) * vocab);
        assertClose("logits of line " + example.line(), actual, expected);
        TokenBatch single = Batches.pack(List.of(example), rowLength, 1, 0).getFirst();
        assertThat(single.trainableTokens()).isEqualTo(example.trainableTokens());
        assertThat((double) model.loss(step, single, false).getFloat())
            .as("loss of line %d packed alone, with padding", example.line())
            .isCloseTo(model.loss(step, alone, false).getFloat(), within(1e-5));
        offset += example.length();
      }
      assertThat(packed.getFirst().trainableTokens())
          .isEqualTo(three.stream().mapToLong(EncodedExample::trainableTokens).sum());
    }
  }

  @Test
  void aPackedStepHasTheLossAndGradientsOfTheUnpackedStepWithLessPadding() throws IOException {
    LoraSettings noDropout = new LoraSettings(4, 8, 0.0, LORA.targetModules());
    List<EncodedExample> four = examples.subList(0, 4);
    // Two rows of two examples each: the longest pair fills its row exactly.
    int rowLength =
        Math.max(
            four.get(0).length() + four.get(1).length(),
            four.get(2).length() + four.get(3).length());
    List<TokenBatch> unpacked =
        List.of(Batches.collate(four.subList(0, 2), 0), Batches.collate(four.subList(2, 4), 0));
    List<TokenBatch> packed = Batches.pack(four, rowLength, 2, 0);
    float[][] expectedGradients;
    float[][] packedGradients;
    double expectedLoss;
    double packedLoss;
    try (LlamaModel model = LlamaModel.load(modelDir, noDropout, 7);
        NDManager scope = NDManager.newBaseManager()) {
      randomizeLoraB(model);
      expectedLoss =
          Trainer.builder()
              .setModel(model)
              .setExamples(four, 0)
              .optBatchSize(2)
              .build()
              .accumulateGradients(scope, unpacked);
      expectedGradients = gradients(model);
    }
    try (LlamaModel model = LlamaModel.load(modelDir, noDropout, 7);
        NDManager scope = NDManager.newBaseManager()) {
      randomizeLoraB(model);
      packedLoss =
          Trainer.builder()
              .setModel(model)
              .setExamples(four, 0)
              .optBatchSize(2)
              .optPacking(rowLength)
              .build()
              .accumulateGradients(scope, packed);
      packedGradients = gradients(model);
    }

    assertThat(packed).hasSize(1);
    assertThat(packed.getFirst().batchSize()).isEqualTo(2);
    assertThat(packedLoss).isCloseTo(expectedLoss, within(1e-5));
    for (int i = 0; i < expectedGradients.length; i++) {
      assertClose("gradient " + i, packedGradients[i], expectedGradients[i]);
    }
  }

  @Test
  void packingTheTwelveReceiptsIntoRowsOf2048TokensComputesLessPadding() {
    List<TokenBatch> unpacked = new ArrayList<>();
    for (int from = 0; from < examples.size(); from += 4) {
      unpacked.add(Batches.collate(examples.subList(from, from + 4), 0));
    }
    List<TokenBatch> packed = Batches.pack(examples, 2048, 4, 0);

    assertThat(packed.stream().mapToLong(TokenBatch::realTokens).sum())
        .isEqualTo(unpacked.stream().mapToLong(TokenBatch::realTokens).sum());
    assertThat(packed.stream().mapToLong(TokenBatch::trainableTokens).sum())
        .isEqualTo(unpacked.stream().mapToLong(TokenBatch::trainableTokens).sum());
    assertThat(padding(packed))
        .as("padding tokens packed, unpacked %d", padding(unpacked))
        .isLessThan(padding(unpacked));
    assertThat(packed.stream().mapToInt(TokenBatch::batchSize).sum()).isLessThan(examples.size());
  }

  private static long padding(List<TokenBatch> batches) {
    return batches.stream()
        .mapToLong(b -> (long) b.batchSize() * b.length() - b.realTokens())
        .sum();
  }

  @Test
  void aPackedRunResumesExactly() throws IOException {
    Path straightDir = dir.resolve("straight");
    Path firstDir = dir.resolve("first");
    TrainingSummary straight;
    Map<String, Tensor> straightAdapter;
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      straight =
          trainer(model, store(straightDir), new ArrayList<>())
              .optMaxSteps(6)
              .optBatchSize(4)
              .optPacking(1024)
              .build()
              .train();
      straightAdapter = model.exportLora();
    }
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      trainer(model, store(firstDir), new ArrayList<>())
          .optMaxSteps(6)
          .optBatchSize(4)
          .optPacking(1024)
          .build()
          .train(5);
    }
    TrainingSummary resumed;
    Map<String, Tensor> resumedAdapter;
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 99)) {
      resumed =
          trainer(model, store(dir.resolve("second")), new ArrayList<>())
              .optMaxSteps(6)
              .optBatchSize(4)
              .optPacking(1024)
              .optResumeFrom(CheckpointStore.read(firstDir.resolve("step-5")))
              .build()
              .train();
      resumedAdapter = model.exportLora();
    }

    assertThat(resumed.steps()).isEqualTo(6);
    assertThat(resumed.trainedTokens()).isEqualTo(straight.trainedTokens());
    assertThat(resumed.losses().getLast()).isCloseTo(straight.losses().getLast(), within(1e-5));
    straightAdapter.forEach(
        (name, tensor) -> assertClose(name, resumedAdapter.get(name).values(), tensor.values()));
  }

  private static void randomizeLoraB(LlamaModel model) {
    Random random = new Random(5);
    model
        .loraParameters()
        .forEach(
            (name, p) -> {
              if (name.contains("lora_B")) {
                float[] values = new float[(int) p.size()];
                for (int i = 0; i < values.length; i++) {
                  values[i] = (float) (random.nextGaussian() * 0.1);
                }
                p.set(values);
              }
            });
  }

  @Test
  void cosineAndLinearSchedulesWarmUpThenDecay() {
    LearningRateSchedule cosine =
        LearningRateSchedule.withWarmupRatio(LearningRateSchedule.Decay.COSINE, 1.0, 0.2, 10);
    assertThat(cosine.at(1)).isCloseTo(0.5, within(1e-12));
    assertThat(cosine.at(2)).isCloseTo(1.0, within(1e-12));
    assertThat(cosine.at(3)).isCloseTo(1.0, within(1e-12));
    assertThat(cosine.at(7)).isCloseTo(0.5, within(1e-12));
    assertThat(cosine.at(10)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 7 / 8)), within(1e-12));
    LearningRateSchedule linear =
        LearningRateSchedule.withWarmupRatio(LearningRateSchedule.Decay.LINEAR, 1.0, 0.2, 10);
    assertThat(linear.at(7)).isCloseTo(0.5, within(1e-12));
    assertThat(linear.at(10)).isCloseTo(0.125, within(1e-12));
    assertThat(LearningRateSchedule.Decay.parse("Cosine"))
        .isEqualTo(LearningRateSchedule.Decay.COSINE);
    assertThatThrownBy(() -> LearningRateSchedule.Decay.parse("step"))
        .hasMessageContaining("expected linear or cosine");
  }

  @Test
  void earlyStoppingWaitsForPatienceMeasurementsWithoutImprovement() {
    EarlyStopping stopping = new EarlyStopping(2);
    assertThat(stopping.record(3.0)).isFalse();
    assertThat(stopping.record(2.5)).isFalse();
    assertThat(stopping.record(2.6)).isFalse();
    assertThat(stopping.record(2.4)).isFalse();
    assertThat(stopping.record(2.4)).isFalse();
    assertThat(stopping.record(2.45)).isTrue();
    assertThat(stopping.best()).isEqualTo(2.4);
    assertThat(new EarlyStopping(0).record(9)).isFalse();
  }

  @Test
  void stopsWhenFieldF1HasNotImprovedForPatienceEvaluationsAndKeepsTheBestWeights()
      throws IOException {
    // Measured every 2 steps: best at step 4, then two measurements without improvement.
    Deque<Double> scores = new ArrayDeque<>(List.of(0.2, 0.5, 0.5, 0.3, 0.9, 0.9));
    Map<Integer, Map<String, Tensor>> weightsAt = new HashMap<>();
    List<JobEvent> events = new ArrayList<>();
    List<TrainingCheckpoint> checkpoints = new ArrayList<>();
    TrainingSummary summary;
    Map<String, Tensor> delivered;
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      summary =
          stoppingTrainer(model, events, weightsAt, checkpoints)
              .optFieldF1(scores::pop, true)
              .build()
              .train();
      delivered = model.exportTrainable();
    }

    assertThat(summary.stoppedEarly()).isTrue();
    assertThat(summary.steps()).isEqualTo(8);
    assertThat(events.stream().filter(e -> e.type() == JobEvent.Type.FIELD_F1))
        .extracting(JobEvent::step, JobEvent::loss)
        .containsExactly(tuple(2, 0.2), tuple(4, 0.5), tuple(6, 0.5), tuple(8, 0.3));
    assertThat(events)
        .extracting(JobEvent::message)
        .contains(
            "early stopping at step 8: field F1 has not improved on 0.5000 for 2 evaluations",
            "kept the weights of step 4, the best field F1 (0.5000)");
    assertSameWeights(delivered, weightsAt.get(4));
    TrainingCheckpoint last = checkpoints.getLast();
    assertThat(last.state().step()).isEqualTo(8);
    assertThat(last.state().bestValidationLoss()).isEqualTo(0.5);
    assertSameWeights(last.weights(), weightsAt.get(4));
  }

  @Test
  void stoppingOnLossIgnoresTheFieldF1ButStillReportsIt() throws IOException {
    List<JobEvent> events = new ArrayList<>();
    try (LlamaModel model = LlamaModel.load(modelDir, LORA, 7)) {
      stoppingTrainer(model, events, new HashMap<>(), new ArrayList<>())
          .optFieldF1(() -> 0.0, false)
          .build()
          .train();
    }
    assertThat(events.stream().filter(e -> e.type() == JobEvent.Type.FIELD_F1))
        .as("one field F1 per validation")
        .extracting(JobEvent::step)
        .containsExactlyElementsOf(
            events.stream()
                .filter(e -> e.type() == JobEvent.Type.VALIDATION)
                .map(JobEvent::step)
                .toList())
        .isNotEmpty();
    assertThat(events.stream().filter(e -> e.type() == JobEvent.Type.LOG))
        .extracting(JobEvent::message)
        .noneMatch(m -> m.contains("field F1 has"));
  }

  /**
   * {@link #trainer}'s run, validated every 2 steps with patience 2, checkpoints kept in memory.
   */
  private Trainer.Builder stoppingTrainer(
      LlamaModel model,
      List<JobEvent> events,
      Map<Integer, Map<String, Tensor>> weightsAt,
      List<TrainingCheckpoint> checkpoints) {
    return trainer(model, store(dir), events)
        .optValidation(examples.subList(0, 4), 2, 2)
        .optCheckpoints(0, checkpoints::add)
        .optListener(
            event -> {
              events.add(event);
              if (event.type() == JobEvent.Type.VALIDATION) {
                weightsAt.put(event.step(), model.exportTrainable());
              }
            });
  }

  private static void assertSameWeights(Map<String, Tensor> actual, Map<String, Tensor> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    actual.forEach(
        (name, tensor) ->
            assertThat(tensor.values()).as(name).containsExactly(expected.get(name).values()));
  }

  private static Trainer.Builder trainer(
      LlamaModel model, CheckpointStore store, List<JobEvent> events) {
    return Trainer.builder()
        .setModel(model)
        .setExamples(examples, 0)
        .optEpochs(10)
        .optMaxSteps(20)
        .optBatchSize(2)
        .optLearningRate(5e-3)
        .optDecay(LearningRateSchedule.Decay.COSINE)
        .optSeed(7)
        .optCheckpoints(5, store::write)
        .optListener(events::add);
  }

  private static CheckpointStore store(Path directory) {
    return new CheckpointStore(directory, SPEC, dataSha256, null);
  }

  private static float[][] gradients(LlamaModel model) {
    return model.loraParameters().values().stream()
        .map(p -> p.getGradient().toFloatArray())
        .toArray(float[][]::new);
  }

  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-5f));
    }
  }
}
