package dev.tuneforge.trainingnode.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.protocol.LoraSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelTest {

  static {
    TestEngine.useOneThread();
  }

  private static final List<String> ALL =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  @TempDir static Path dir;

  @BeforeAll
  static void writeTinyModel() throws IOException {
    DemoModelWriter.builder()
        .optSeed(5)
        .optHiddenSize(16)
        .optIntermediateSize(24)
        .optHeads(4, 2)
        .build()
        .writeTo(dir);
  }

  /** Two rows, the second right-padded; labels on a few tokens only. */
  private static TokenBatch batch() {
    long[] ids = {5, 17, 99, 3, 250, 42, 7, 8, 9, 10, 0, 0};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    long[] labels = {-100, -100, 99, 3, 250, 42, -100, 8, 9, 10, -100, -100};
    return new TokenBatch(2, 6, ids, mask, labels);
  }

  @Test
  void freshLoraLeavesTheBaseModelsLossUnchanged() throws IOException {
    try (LlamaModel full = LlamaModel.load(dir, new LoraSettings(4, 8, 0, ALL), 1);
        LlamaModel single = LlamaModel.load(dir, new LoraSettings(2, 2, 0, List.of("o_proj")), 9);
        NDManager step = NDManager.newBaseManager()) {
      double loss = full.loss(step, batch(), false).getFloat();

      assertThat(single.loss(step, batch(), false).getFloat()).isEqualTo((float) loss);
      assertThat(loss)
          .isBetween(
              Math.log(full.config().vocabSize()) - 0.5, Math.log(full.config().vocabSize()) + 1.5);
      assertThat(full.loraParameters()).hasSize(2 * 7 * 2);
      assertThat(full.trainableParameterCount())
          .isEqualTo(2 * 4 * (32 + 24 + 24 + 32 + 40 + 40 + 40));
      assertThat(
              full.loraParameters()
                  .get("model.layers.1.mlp.down_proj.lora_A.weight")
                  .getShape()
                  .getShape())
          .containsExactly(4, 24);
      assertThat(
              full.loraParameters()
                  .get("model.layers.0.self_attn.k_proj.lora_B.weight")
                  .toFloatArray())
          .containsOnly(0f);
    }
  }

  /** rsLoRA scales by alpha / sqrt(r): with r = 4 and alpha = 8 that is plain LoRA's alpha = 16. */
  @Test
  void rsLoraScalesByAlphaOverTheSquareRootOfTheRank() throws IOException {
    try (LlamaModel rslora = LlamaModel.load(dir, new LoraSettings(4, 8, 0, ALL, true), 1);
        LlamaModel plainSameAlpha = LlamaModel.load(dir, new LoraSettings(4, 8, 0, ALL), 1);
        LlamaModel plainEquivalent =
            LlamaModel.load(dir, new LoraSettings(4, 16, 0, ALL, false), 1);
        NDManager step = NDManager.newBaseManager()) {
      for (LlamaModel model : List.of(rslora, plainSameAlpha, plainEquivalent)) {
        Random random = new Random(3);
        model
            .loraParameters()
            .forEach(
                (name, p) -> {
                  if (name.contains("lora_B")) {
                    float[] values = new float[(int) p.size()];
                    for (int i = 0; i < values.length; i++) {
                      values[i] = (float) (random.nextGaussian() * 0.2);
                    }
                    p.set(values);
                  }
                });
      }
      float[] expected = plainEquivalent.logits(step, batch(), false).toFloatArray();

      assertThat(rslora.logits(step, batch(), false).toFloatArray())
          .containsExactly(expected, within(1e-6f));
      assertThat(plainSameAlpha.loss(step, batch(), false).getFloat())
          .as("rsLoRA must differ from plain LoRA at the same alpha")
          .isNotCloseTo(rslora.loss(step, batch(), false).getFloat(), within(1e-4f));
    }
  }

  /**
   * The expected loss is PyTorch's, in float64, on this model and batch: the output of {@code
   * src/test/python/llama_model_test_loss.py} (reference_model.py's forward pass) on the directory
   * {@link #writeTinyModel} writes (printed rounded to float32). A fresh adapter (B = 0) leaves the
   * base loss. It changes if DemoModelWriter's initialisation does.
   */
  @Test
  void lossMatchesAnIndependentReferenceImplementation() throws IOException {
    try (LlamaModel model = LlamaModel.load(dir, new LoraSettings(2, 4, 0, List.of("q_proj")), 1);
        NDManager step = NDManager.newBaseManager()) {
      assertThat(model.loss(step, batch(), false).getFloat()).isCloseTo(6.29484129f, within(2e-5f));
    }
  }

  @Test
  void laterTokensAndPaddingDoNotChangeEarlierLogits() throws IOException {
    try (LlamaModel model = LlamaModel.load(dir, new LoraSettings(4, 8, 0, List.of("q_proj")), 1);
        NDManager step = NDManager.newBaseManager()) {
      long[] none = new long[4];
      Arrays.fill(none, -100);
      TokenBatch alone =
          new TokenBatch(1, 4, new long[] {7, 8, 9, 10}, new long[] {1, 1, 1, 1}, none);
      long[] padded = new long[6];
      Arrays.fill(padded, -100);
      TokenBatch withPadding =
          new TokenBatch(
              1, 6, new long[] {7, 8, 9, 10, 0, 0}, new long[] {1, 1, 1, 1, 0, 0}, padded);
      TokenBatch otherFuture =
          new TokenBatch(
              1, 6, new long[] {7, 8, 9, 10, 200, 201}, new long[] {1, 1, 1, 1, 1, 1}, padded);

      float[] reference = model.logits(step, alone, false).toFloatArray();
      float[] paddedLogits =
          Arrays.copyOf(model.logits(step, withPadding, false).toFloatArray(), reference.length);
      float[] futureLogits =
          Arrays.copyOf(model.logits(step, otherFuture, false).toFloatArray(), reference.length);

      for (int i = 0; i < reference.length; i++) {
        assertThat(paddedLogits[i]).isCloseTo(reference[i], within(1e-5f));
        assertThat(futureLogits[i]).isCloseTo(reference[i], within(1e-5f));
      }
    }
  }

  /**
   * Central finite differences along one unit direction per LoRA matrix, in fp32. With eps 1e-2 and
   * B of scale 0.1 the truncation error stays under 1% and fp32 rounding of a loss near 5.6 adds
   * about 3e-5, so the tolerance is 2% of the derivative plus 5e-5.
   */
  @Test
  void loraGradientsMatchFiniteDifferences() throws IOException {
    Random random = new Random(11);
    try (LlamaModel model = LlamaModel.load(dir, new LoraSettings(2, 4, 0, ALL), 3);
        NDManager manager = NDManager.newBaseManager()) {
      // B starts at zero, which would leave A without gradient: give B values first.
      for (Map.Entry<String, NDArray> entry : model.loraParameters().entrySet()) {
        if (entry.getKey().contains("lora_B")) {
          entry
              .getValue()
              .addi(
                  manager.create(
                      gaussian(random, (int) entry.getValue().size(), 0.1),
                      entry.getValue().getShape()));
        }
      }
      TokenBatch batch = batch();
      Map<String, float[]> gradients = new LinkedHashMap<>();
      try (NDManager step = manager.newSubManager()) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(model.loss(step, batch, true));
        }
        model
            .loraParameters()
            .forEach((name, p) -> gradients.put(name, p.getGradient().toFloatArray()));
      }

      float eps = 1e-2f;
      for (Map.Entry<String, NDArray> entry : model.loraParameters().entrySet()) {
        float[] gradient = gradients.get(entry.getKey());
        float[] direction = direction(random, gradient);
        double analytic = 0;
        for (int i = 0; i < gradient.length; i++) {
          analytic += (double) gradient[i] * direction[i];
        }
        NDArray p = entry.getValue();
        NDArray delta = manager.create(direction, p.getShape()).mul(manager.create(eps));
        p.addi(delta);
        double plus = loss(model, manager, batch);
        p.subi(delta).subi(delta);
        double minus = loss(model, manager, batch);
        p.addi(delta);
        double numeric = (plus - minus) / (2 * eps);

        assertThat(analytic).as(entry.getKey()).isNotZero();
        assertThat(numeric)
            .as(entry.getKey())
            .isCloseTo(analytic, within(0.02 * Math.abs(analytic) + 5e-5));
      }
    }
  }

  @Test
  void refusesUnknownTargetModules() {
    assertThatThrownBy(() -> LlamaModel.load(dir, new LoraSettings(4, 8, 0, List.of("c_attn")), 1))
        .hasMessageContaining("unknown LoRA target module c_attn");
  }

  @Test
  void refusesUnsupportedArchitecturesNamingTheSupportedOnes() throws IOException {
    String config =
        Files.readString(dir.resolve("config.json")).replace("LlamaForCausalLM", "GPT2LMHeadModel");

    assertThatThrownBy(() -> ModelConfig.parse(config))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage(
            "unsupported architecture GPT2LMHeadModel; supported: Gemma3ForCausalLM, LlamaForCausalLM,"
                + " MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM");
  }

  private static double loss(LlamaModel model, NDManager manager, TokenBatch batch) {
    try (NDManager step = manager.newSubManager()) {
      return model.loss(step, batch, false).getFloat();
    }
  }

  /** The gradient's own direction plus an equal random part, so both are checked. */
  private static float[] direction(Random random, float[] gradient) {
    float[] noise = gaussian(random, gradient.length, 1);
    double gradientNorm = norm(gradient);
    double noiseNorm = norm(noise);
    float[] direction = new float[gradient.length];
    for (int i = 0; i < direction.length; i++) {
      direction[i] = (float) (gradient[i] / gradientNorm + noise[i] / noiseNorm);
    }
    double norm = norm(direction);
    for (int i = 0; i < direction.length; i++) {
      direction[i] /= (float) norm;
    }
    return direction;
  }

  private static float[] gaussian(Random random, int size, double scale) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return values;
  }

  private static double norm(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }
}
