package dev.tuneforge.trainingnode.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.ReferenceCase;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.model.TokenBatch;
import dev.tuneforge.trainingnode.train.AdamW;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the trainer's model equal to an independent PyTorch implementation ({@code
 * src/test/python/reference_model.py}, float64) for every supported architecture: logits, loss and
 * the gradient of every LoRA matrix, on a padded batch with masked labels and non-zero LoRA B so
 * that the adapter path counts; for full fine-tuning, the gradient of every weight (embedding,
 * norms, projections, Qwen2's biases, lm_head or its tie) and one AdamW step against {@code
 * torch.optim.AdamW}. Needs {@code /usr/bin/python3} with torch (Debian's {@code python3-torch});
 * without it the test is skipped, or fails when {@code -Dtuneforge.reference.required=true} (CI)
 * asks for it.
 */
class PyTorchReferenceTest {

  static {
    TestEngine.useOneThread();
  }

  static final double LOGITS_TOLERANCE = 1e-4;
  static final double LOSS_RELATIVE_TOLERANCE = 1e-5;
  static final double GRADIENT_TOLERANCE = 1e-4;

  /** One AdamW step from the same gradients: the weights after it, in absolute terms. */
  static final double ADAMW_STEP_TOLERANCE = 1e-6;

  /**
   * One AdamW step from each side's own gradients, as a share of the learning rate: the first step
   * moves each weight by about lr * sign(gradient), so a gradient within float32 error of 0 may
   * move its weight differently; the bound is on the worst weight of the model.
   */
  static final double OWN_GRADIENT_STEP_TOLERANCE = 0.01;

  private static final double FULL_LEARNING_RATE = 1e-3;
  private static final double FULL_WEIGHT_DECAY = 0.1;

  private static final Path SCRIPT = Path.of("src/test/python/reference_model.py");
  static final List<String> ALL =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  static String python = "";
  static @Nullable String torchProblem;

  @TempDir static Path dir;

  /** Loads the model under test with fresh LoRA matrices of {@code lora}. */
  interface LoraModelLoader {
    LlamaModel load(LoraSettings lora) throws IOException;
  }

  @BeforeAll
  static void findPythonWithTorch() {
    python = TorchPython.path();
    torchProblem = TorchPython.problem();
  }

  @ParameterizedTest
  @EnumSource(ReferenceCase.class)
  void logitsLossAndLoraGradientsEqualPyTorch(ReferenceCase testCase) throws Exception {
    // Assumed per case rather than in @BeforeAll so that the skips and their reason show in
    // reports.
    assumeTrue(
        torchProblem == null,
        () ->
            "skipped: "
                + torchProblem
                + "; install Debian's python3-torch (or point -Dtuneforge.reference.python"
                + " at a python with torch) to compare the trainer with PyTorch");
    Path caseDir = dir.resolve(testCase.name().toLowerCase());
    testCase.model().writeTo(caseDir.resolve("model"));
    compareWithReference(testCase.name(), caseDir, new LoraSettings(4, 8, 0, ALL), batch());
  }

  /**
   * Full fine-tuning: the gradient of every weight equals PyTorch's, and one AdamW step (weight
   * decay 0.1 except on norms and biases, clipping at 1.0) moves every weight as {@code
   * torch.optim.AdamW} with the same parameter groups does.
   */
  @ParameterizedTest
  @EnumSource(ReferenceCase.class)
  void fullFineTuningGradientsOfEveryWeightAndOneAdamWStepEqualPyTorch(ReferenceCase testCase)
      throws Exception {
    assumeTrue(torchProblem == null, () -> "skipped: " + torchProblem);
    Path caseDir = dir.resolve("full_" + testCase.name().toLowerCase());
    testCase.model().writeTo(caseDir.resolve("model"));
    TokenBatch batch = batch();
    float[] logits;
    double loss;
    Map<String, float[]> gradients = new TreeMap<>();
    Map<String, Tensor> updated;
    try (LlamaModel model = LlamaModel.loadForFullFineTuning(caseDir.resolve("model"));
        NDManager manager = NDManager.newBaseManager()) {
      try (NDManager step = manager.newSubManager()) {
        logits = model.logits(step, batch, false).toFloatArray();
      }
      Map<String, Tensor> inputs = new TreeMap<>();
      try (NDManager step = manager.newSubManager()) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray value = model.loss(step, batch, true);
          loss = value.getFloat();
          collector.backward(value);
        }
        model
            .trainableParameters()
            .forEach(
                (n, p) -> {
                  float[] gradient = p.getGradient().toFloatArray();
                  gradients.put(n, gradient);
                  inputs.put("javagrad/" + n, new Tensor(p.getShape().getShape(), gradient));
                });
      }
      try (NDManager step = manager.newSubManager();
          AdamW adam =
              new AdamW(
                  model.trainableParameters(),
                  FULL_WEIGHT_DECAY,
                  model.parametersWithoutWeightDecay())) {
        adam.step(step, FULL_LEARNING_RATE, 1.0);
      }
      updated = model.exportTrainable();
      inputs.put("input_ids", matrix(batch, batch.inputIds()));
      inputs.put("attention_mask", matrix(batch, batch.attentionMask()));
      inputs.put("labels", matrix(batch, batch.labels()));
      SafeTensors.write(caseDir.resolve("inputs.safetensors"), inputs, Map.of());
      Files.writeString(
          caseDir.resolve("full.json"),
          "{\"lr\": "
              + FULL_LEARNING_RATE
              + ", \"weight_decay\": "
              + FULL_WEIGHT_DECAY
              + ", \"max_grad_norm\": 1.0, \"no_decay\": ["
              + String.join(
                  ", ",
                  model.parametersWithoutWeightDecay().stream().map(n -> "\"" + n + "\"").toList())
              + "]}");
    }

    Map<String, Tensor> reference = runReference(caseDir);
    Map<String, Tensor> base = new TreeMap<>();
    try (var files = Files.list(caseDir.resolve("model"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".safetensors")).toList()) {
        base.putAll(SafeTensors.read(file).tensors());
      }
    }
    Set<String> expectedNames = new TreeSet<>(base.keySet());
    if (!base.containsKey("lm_head.weight")) {
      assertThat(testCase.tied()).as("only a tied model may store no lm_head").isTrue();
    }
    assertThat(gradients.keySet()).as("every weight of the model trains").isEqualTo(expectedNames);
    double logitsDiff = maxAbsDiff(logits, reference.get("logits").values());
    double referenceLoss = reference.get("loss").values()[0];
    double worstGradient = 0;
    String worstName = "";
    double worstStep = 0;
    double worstOwnStep = 0;
    for (Map.Entry<String, float[]> entry : gradients.entrySet()) {
      float[] expected = reference.get("grad/" + entry.getKey()).values();
      assertThat(maxAbs(expected)).as("reference gradient of " + entry.getKey()).isPositive();
      double diff = maxAbsDiff(entry.getValue(), expected) / maxAbs(expected);
      if (diff >= worstGradient) {
        worstGradient = diff;
        worstName = entry.getKey();
      }
      float[] ours = updated.get(entry.getKey()).values();
      worstStep =
          Math.max(
              worstStep,
              maxAbsDiff(ours, reference.get("updated_from_java/" + entry.getKey()).values()));
      worstOwnStep =
          Math.max(
              worstOwnStep, maxAbsDiff(ours, reference.get("updated/" + entry.getKey()).values()));
      assertThat(Arrays.equals(ours, base.get(entry.getKey()).values()))
          .as(entry.getKey() + " moved")
          .isFalse();
    }
    System.out.printf(
        "PyTorch reference, full fine-tuning, %s: logits max abs diff %.3g, loss rel diff %.3g, gradients of %d weights"
            + " max diff relative to max %.3g (worst %s); one AdamW step (lr %.0e): max abs diff %.3g from the same"
            + " gradients, %.3g (%.3g of lr) from each side's own%n",
        testCase,
        logitsDiff,
        Math.abs(loss - referenceLoss) / Math.abs(referenceLoss),
        gradients.size(),
        worstGradient,
        worstName,
        FULL_LEARNING_RATE,
        worstStep,
        worstOwnStep,
        worstOwnStep / FULL_LEARNING_RATE);
    assertThat(logitsDiff).as("logits max abs diff").isLessThan(LOGITS_TOLERANCE);
    assertThat(Math.abs(loss - referenceLoss) / Math.abs(referenceLoss))
        .isLessThan(LOSS_RELATIVE_TOLERANCE);
    assertThat(worstGradient)
        .as("gradient diff of " + worstName + " relative to its max")
        .isLessThan(GRADIENT_TOLERANCE);
    assertThat(worstStep).as("AdamW step from the same gradients").isLessThan(ADAMW_STEP_TOLERANCE);
    assertThat(worstOwnStep / FULL_LEARNING_RATE)
        .as("AdamW step from each side's gradients, share of lr")
        .isLessThan(OWN_GRADIENT_STEP_TOLERANCE);
  }

  /**
   * rsLoRA's alpha / sqrt(r) scale and packed rows: two examples in the first row and two in the
   * second, each with positions restarting at 0 and attention confined to itself.
   */
  @Test
  void packedRowsWithRsLoraEqualPyTorch() throws Exception {
    assumeTrue(torchProblem == null, () -> "skipped: " + torchProblem);
    Path caseDir = dir.resolve("packed_rslora");
    ReferenceCase.LLAMA.model().writeTo(caseDir.resolve("model"));
    long[] ids = {5, 17, 99, 3, 250, 42, 7, 120, 8, 9, 10, 64, 33, 21, 0, 0};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    long[] labels = {-100, -100, 99, 3, -100, -100, 7, 120, -100, 9, 10, -100, 33, 21, -100, -100};
    long[] positions = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 4};
    compareWithReference(
        "packed rows, rsLoRA",
        caseDir,
        new LoraSettings(4, 8, 0, ALL, true),
        new TokenBatch(2, 8, ids, mask, labels, positions));
  }

  private static void compareWithReference(
      String name, Path caseDir, LoraSettings lora, TokenBatch batch) throws Exception {
    compareWithReference(
        name, caseDir, lora, batch, l -> LlamaModel.load(caseDir.resolve("model"), l, 3));
  }

  /**
   * Compares the model {@code loader} gives with the reference run on {@code caseDir/model}:
   * logits, loss and the gradient of every LoRA matrix.
   */
  static void compareWithReference(
      String name, Path caseDir, LoraSettings lora, TokenBatch batch, LoraModelLoader loader)
      throws Exception {
    float[] logits;
    double loss;
    Map<String, float[]> gradients = new TreeMap<>();
    try (LlamaModel model = loader.load(lora);
        NDManager manager = NDManager.newBaseManager()) {
      giveLoraBValues(model, manager);
      Map<String, Tensor> inputs = new TreeMap<>(model.exportLora());
      inputs.put("input_ids", matrix(batch, batch.inputIds()));
      inputs.put("attention_mask", matrix(batch, batch.attentionMask()));
      inputs.put("labels", matrix(batch, batch.labels()));
      if (batch.positionIds() != null) {
        inputs.put("position_ids", matrix(batch, batch.positionIds()));
      }
      SafeTensors.write(caseDir.resolve("inputs.safetensors"), inputs, Map.of());
      Files.writeString(
          caseDir.resolve("lora.json"),
          "{\"r\": "
              + lora.r()
              + ", \"alpha\": "
              + lora.alpha()
              + ", \"use_rslora\": "
              + lora.rslora()
              + "}");
      try (NDManager step = manager.newSubManager()) {
        logits = model.logits(step, batch, false).toFloatArray();
      }
      try (NDManager step = manager.newSubManager()) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray value = model.loss(step, batch, true);
          loss = value.getFloat();
          collector.backward(value);
        }
        model.loraParameters().forEach((n, p) -> gradients.put(n, p.getGradient().toFloatArray()));
      }
    }

    Map<String, Tensor> reference = runReference(caseDir);
    double logitsDiff = maxAbsDiff(logits, reference.get("logits").values());
    double referenceLoss = reference.get("loss").values()[0];
    double lossDiff = Math.abs(loss - referenceLoss) / Math.abs(referenceLoss);
    WorstGradient worst = WorstGradient.of(gradients, reference);
    double worstGradient = worst.diff();
    String worstName = worst.name();
    System.out.printf(
        "PyTorch reference, %s: logits max abs diff %.3g (max |logit| %.3g), loss %.8f vs %.8f (rel diff %.3g),"
            + " LoRA gradients max diff relative to max %.3g over %d matrices (worst %s)%n",
        name,
        logitsDiff,
        maxAbs(reference.get("logits").values()),
        loss,
        referenceLoss,
        lossDiff,
        worstGradient,
        gradients.size(),
        worstName);

    assertThat(gradients).hasSize(2 * 2 * ALL.size());
    assertThat(logitsDiff).as("logits max abs diff").isLessThan(LOGITS_TOLERANCE);
    assertThat(lossDiff).as("loss relative diff").isLessThan(LOSS_RELATIVE_TOLERANCE);
    assertThat(worstGradient)
        .as("gradient diff of " + worstName + " relative to its max")
        .isLessThan(GRADIENT_TOLERANCE);
  }

  /**
   * The gradient furthest from the reference's {@code grad/<name>}, its max abs diff relative to
   * the reference's max; every reference gradient must be non-zero.
   */
  record WorstGradient(String name, double diff) {
    static WorstGradient of(Map<String, float[]> gradients, Map<String, Tensor> reference) {
      double worst = 0;
      String name = "";
      for (Map.Entry<String, float[]> entry : gradients.entrySet()) {
        float[] expected = reference.get("grad/" + entry.getKey()).values();
        assertThat(maxAbs(expected)).as("reference gradient of " + entry.getKey()).isPositive();
        double diff = maxAbsDiff(entry.getValue(), expected) / maxAbs(expected);
        if (diff >= worst) {
          worst = diff;
          name = entry.getKey();
        }
      }
      return new WorstGradient(name, worst);
    }
  }

  /** Two rows, the second right-padded by three; labels only on a "completion" per row. */
  static TokenBatch batch() {
    long[] ids = {5, 17, 99, 3, 250, 42, 7, 120, 8, 9, 10, 64, 33, 0, 0, 0};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    long[] labels = {
      -100, -100, -100, 3, 250, 42, 7, 120, -100, -100, 10, 64, 33, -100, -100, -100
    };
    return new TokenBatch(2, 8, ids, mask, labels);
  }

  /** B starts at zero, which would hide the adapter from the forward pass and A from gradients. */
  static void giveLoraBValues(LlamaModel model, NDManager manager) {
    Random random = new Random(23);
    for (Map.Entry<String, NDArray> entry : model.loraParameters().entrySet()) {
      if (entry.getKey().contains("lora_B")) {
        NDArray b = entry.getValue();
        float[] values = new float[(int) b.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * 0.05);
        }
        b.addi(manager.create(values, b.getShape()));
      }
    }
  }

  static Tensor matrix(TokenBatch batch, long[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = values[i];
    }
    return new Tensor(new long[] {batch.batchSize(), batch.length()}, floats);
  }

  static Map<String, Tensor> runReference(Path caseDir) throws IOException, InterruptedException {
    runPython(SCRIPT, caseDir.toString());
    return SafeTensors.read(caseDir.resolve("reference.safetensors")).tensors();
  }

  /** Runs a reference script of {@code src/test/python} and fails the test if it fails. */
  static void runPython(Path script, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python, script.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail("the PyTorch reference " + script.getFileName() + " failed:\n" + output);
    }
  }

  static double maxAbsDiff(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs((double) actual[i] - expected[i]));
    }
    return max;
  }

  static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
