package dev.tuneforge.trainingnode.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.PreferenceSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.ReferenceCase;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.model.TokenBatch;
import dev.tuneforge.trainingnode.train.DpoLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves DPO's loss, its rewards and the gradient of every LoRA matrix equal to TRL's sigmoid DPO
 * loss written in PyTorch ({@code reference_model.py} with {@code dpo.json}, float64), the
 * reference model being the same weights without the adapter, on two pairs of unequal lengths with
 * padding; with and without the SFT term. Needs what {@link PyTorchReferenceTest} needs.
 */
class DpoReferenceTest {

  static {
    TestEngine.useOneThread();
  }

  @TempDir static Path dir;

  @BeforeAll
  static void findPythonWithTorch() {
    PyTorchReferenceTest.findPythonWithTorch();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(ReferenceCase.LLAMA, new PreferenceSettings(0.1, 0)),
        Arguments.of(ReferenceCase.QWEN3_TIED_HEAD_DIM, new PreferenceSettings(0.5, 0.25)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void lossRewardsAndLoraGradientsEqualPyTorch(ReferenceCase testCase, PreferenceSettings dpo)
      throws Exception {
    assumeTrue(
        PyTorchReferenceTest.torchProblem == null,
        () -> "skipped: " + PyTorchReferenceTest.torchProblem);
    Path caseDir = dir.resolve(testCase.name().toLowerCase() + "_" + dpo.sftWeight());
    testCase.model().writeTo(caseDir.resolve("model"));
    LoraSettings lora = new LoraSettings(4, 8, 0, PyTorchReferenceTest.ALL);
    TokenBatch pairs = pairs();
    double loss;
    float[] chosenRewards = new float[2];
    float[] rejectedRewards = new float[2];
    Map<String, float[]> gradients = new TreeMap<>();
    try (LlamaModel model = LlamaModel.load(caseDir.resolve("model"), lora, 3);
        NDManager manager = NDManager.newBaseManager()) {
      PyTorchReferenceTest.giveLoraBValues(model, manager);
      Map<String, Tensor> inputs = new TreeMap<>(model.exportLora());
      inputs.put("input_ids", PyTorchReferenceTest.matrix(pairs, pairs.inputIds()));
      inputs.put("attention_mask", PyTorchReferenceTest.matrix(pairs, pairs.attentionMask()));
      inputs.put("labels", PyTorchReferenceTest.matrix(pairs, pairs.labels()));
      SafeTensors.write(caseDir.resolve("inputs.safetensors"), inputs, Map.of());
      Files.writeString(
          caseDir.resolve("lora.json"),
          "{\"r\": " + lora.r() + ", \"alpha\": " + lora.alpha() + "}");
      Files.writeString(
          caseDir.resolve("dpo.json"),
          "{\"beta\": " + dpo.beta() + ", \"sft_weight\": " + dpo.sftWeight() + "}");
      try (NDManager step = manager.newSubManager()) {
        float[] reference = DpoLoss.referenceLogProbs(step, model, pairs);
        DpoLoss.Result result;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          result = new DpoLoss(dpo).compute(step, model, pairs, reference, true);
          loss = result.loss().getFloat();
          collector.backward(result.loss());
        }
        model.loraParameters().forEach((n, p) -> gradients.put(n, p.getGradient().toFloatArray()));
        assertThat(result.pairs()).isEqualTo(2);
      }
      // Each pair's rewards, from one pair at a time.
      for (int pair = 0; pair < 2; pair++) {
        try (NDManager step = manager.newSubManager()) {
          TokenBatch one = pair(pairs, pair);
          float[] reference = DpoLoss.referenceLogProbs(step, model, one);
          DpoLoss.Result result = new DpoLoss(dpo).compute(step, model, one, reference, false);
          chosenRewards[pair] = (float) result.chosenRewards();
          rejectedRewards[pair] = (float) result.rejectedRewards();
        }
      }
    }

    Map<String, Tensor> reference = PyTorchReferenceTest.runReference(caseDir);
    double referenceLoss = reference.get("loss").values()[0];
    double lossDiff = Math.abs(loss - referenceLoss) / Math.abs(referenceLoss);
    PyTorchReferenceTest.WorstGradient worst =
        PyTorchReferenceTest.WorstGradient.of(gradients, reference);
    double worstGradient = worst.diff();
    String worstName = worst.name();
    double rewardDiff =
        Math.max(
            PyTorchReferenceTest.maxAbsDiff(
                chosenRewards, reference.get("rewards_chosen").values()),
            PyTorchReferenceTest.maxAbsDiff(
                rejectedRewards, reference.get("rewards_rejected").values()));
    System.out.printf(
        "PyTorch reference, DPO %s (beta %s, SFT weight %s): loss %.8f vs %.8f (rel diff %.3g),"
            + " rewards max abs diff %.3g (max |reward| %.3g), LoRA gradients max diff relative to"
            + " max %.3g over %d matrices (worst %s)%n",
        testCase,
        dpo.beta(),
        dpo.sftWeight(),
        loss,
        referenceLoss,
        lossDiff,
        rewardDiff,
        PyTorchReferenceTest.maxAbs(reference.get("rewards_chosen").values()),
        worstGradient,
        gradients.size(),
        worstName);
    assertThat(gradients).hasSize(2 * 2 * PyTorchReferenceTest.ALL.size());
    assertThat(lossDiff)
        .as("loss relative diff")
        .isLessThan(PyTorchReferenceTest.LOSS_RELATIVE_TOLERANCE);
    assertThat(rewardDiff)
        .as("rewards max abs diff")
        .isLessThan(PyTorchReferenceTest.LOGITS_TOLERANCE);
    assertThat(worstGradient)
        .as("gradient diff of " + worstName + " relative to its max")
        .isLessThan(PyTorchReferenceTest.GRADIENT_TOLERANCE);
  }

  /**
   * Two pairs: the chosen answers (rows 0, 1) then the rejected ones (rows 2, 3), each pair sharing
   * its prompt; answers of unequal length, right-padded, labelled only on the answer.
   */
  static TokenBatch pairs() {
    long[] ids = {
      5, 17, 99, 3, 250, 42, 0, 0, //
      8, 9, 10, 64, 33, 21, 0, 0, //
      5, 17, 99, 7, 120, 0, 0, 0, //
      8, 9, 11, 12, 13, 0, 0, 0
    };
    long[] mask = {
      1, 1, 1, 1, 1, 1, 0, 0, //
      1, 1, 1, 1, 1, 1, 0, 0, //
      1, 1, 1, 1, 1, 0, 0, 0, //
      1, 1, 1, 1, 1, 0, 0, 0
    };
    long[] labels = {
      -100, -100, -100, 3, 250, 42, -100, -100, //
      -100, -100, 10, 64, 33, 21, -100, -100, //
      -100, -100, -100, 7, 120, -100, -100, -100, //
      -100, -100, 11, 12, 13, -100, -100, -100
    };
    return new TokenBatch(4, 8, ids, mask, labels);
  }

  /** Pair {@code index} of {@code pairs} alone: its chosen row, then its rejected row. */
  private static TokenBatch pair(TokenBatch pairs, int index) {
    int n = pairs.batchSize() / 2;
    int length = pairs.length();
    long[][] arrays = {pairs.inputIds(), pairs.attentionMask(), pairs.labels()};
    long[][] out = new long[3][2 * length];
    for (int a = 0; a < 3; a++) {
      System.arraycopy(arrays[a], index * length, out[a], 0, length);
      System.arraycopy(arrays[a], (n + index) * length, out[a], length, length);
    }
    return new TokenBatch(2, length, out[0], out[1], out[2]);
  }
}
