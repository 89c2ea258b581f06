package dev.tuneforge.modelformat.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.memory.MemoryEstimate.Job;
import dev.tuneforge.modelformat.memory.MemoryEstimate.Method;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The estimate's arithmetic against sums done by hand (docs/training.md, "Memory estimate"). */
class MemoryEstimateTest {
  /** hidden 64, 4 heads of 16, 2 KV heads, MLP 128, 2 layers, vocab 100, untied: 86,848 weights. */
  private static final ModelConfig TINY =
      ModelConfig.parse(
          """
          {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
           "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
           "vocab_size": 100, "tie_word_embeddings": false}
          """);

  private static final long TINY_PARAMETERS = 86_848;

  @Test
  void theTinyConfigHasTheWeightsCountedByHand() {
    // embeddings and lm_head 2 × 6,400, final norm 64, per layer 2 × 64 + q 4,096 + k, v 2 × 2,048
    // + o 4,096 + gate, up, down 3 × 8,192 = 36,992
    assertThat(MemoryEstimate.weightCount(TINY)).isEqualTo(2 * 6_400 + 64 + 2 * 36_992);
    assertThat(MemoryEstimate.weightCount(TINY)).isEqualTo(TINY_PARAMETERS);
  }

  @Test
  void loraOnQAndVByHand() {
    // per token and layer: norms 512, q 416, k 176, v 32, repeated k/v 128, attended 192, MLP 704
    assertThat(MemoryEstimate.perTokenPerLayer(TINY)).isEqualTo(2160);
    Job job = new Job(Method.LORA, 2, 16, 8, List.of("q_proj", "v_proj"), 4);
    // q: 64 in + 8 + 3 × 64 out; v: 64 + 8 + 3 × 32
    assertThat(MemoryEstimate.loraPerTokenPerLayer(TINY, job)).isEqualTo(432);
    MemoryEstimate estimate = MemoryEstimate.of(TINY, TINY_PARAMETERS, job);
    // r × (out + in) per target: 8 × 128 + 8 × 96 = 1,792 per layer, two layers
    assertThat(estimate.weights()).isEqualTo(86_848L * 4);
    assertThat(estimate.trainable()).isEqualTo(3_584L * 4);
    assertThat(estimate.gradients()).isEqualTo(3_584L * 4);
    assertThat(estimate.optimizer()).isEqualTo(2 * 3_584L * 4);
    // 2 layers × (32 tokens × 2,592 + 3 × 2 × 4 heads × 16²) + 32 × 4 × 64 + 4 × 32 × 100 floats
    assertThat(estimate.activations()).isEqualTo(199_168L * 4);
    // 256 MiB + 10 % of the 1,201,408 bytes above, rounded up
    assertThat(estimate.workspace()).isEqualTo(268_435_456L + 120_141);
    assertThat(estimate.total()).isEqualTo(1_201_408L + 268_435_456 + 120_141);
  }

  @Test
  void fullFineTuningTrainsEveryWeightInFp32() {
    Job job = new Job(Method.FULL, 1, 8, 0, List.of(), 2);
    MemoryEstimate estimate = MemoryEstimate.of(TINY, TINY_PARAMETERS, job);
    // a full fine-tune's weights are its trainable weights: fp32 whatever the base's dtype
    assertThat(estimate.weights()).isEqualTo(86_848L * 4);
    assertThat(estimate.trainable()).isZero();
    assertThat(estimate.gradients()).isEqualTo(86_848L * 4);
    assertThat(estimate.optimizer()).isEqualTo(2 * 86_848L * 4);
    // no LoRA arrays: 2 × (8 × 2,160 + 3 × 4 × 8²) + 8 × 256 + 4 × 8 × 100
    assertThat(estimate.activations()).isEqualTo(41_344L * 4);
  }

  @Test
  void aBaseKeptInTwoBytesHalvesTheWeights() {
    Job job = new Job(Method.LORA, 1, 8, 4, List.of("q_proj"), 2);
    assertThat(MemoryEstimate.of(TINY, TINY_PARAMETERS, job).weights()).isEqualTo(86_848L * 2);
  }

  @Test
  void qloraKeepsTheProjectionsInNf4AndCountsTheirDequantisedCopies() {
    Job lora = new Job(Method.LORA, 2, 16, 8, List.of("q_proj", "v_proj"), 4);
    Job qlora = new Job(Method.QLORA, 2, 16, 8, List.of("q_proj", "v_proj"), 4);
    MemoryEstimate plain = MemoryEstimate.of(TINY, TINY_PARAMETERS, lora);
    MemoryEstimate quantised = MemoryEstimate.of(TINY, TINY_PARAMETERS, qlora);
    // the projections: per layer q 4,096 + k, v 2 × 2,048 + o 4,096 + gate, up, down 3 × 8,192
    long projections = 2 * (4_096 + 2 * 2_048 + 4_096 + 3 * 8_192);
    assertThat(projections).isEqualTo(73_728);
    // 0.5 + 1/64 + 4/(64 × 256) bytes per projection weight; embeddings, norms, lm_head fp32
    assertThat(quantised.weights())
        .isEqualTo(
            (long) Math.ceil((86_848 - 73_728) * 4.0 + 73_728 * (0.5 + 1.0 / 64 + 4.0 / 16_384)));
    assertThat(quantised.trainable()).isEqualTo(plain.trainable());
    // each forward pass dequantises every projection to fp32, kept until the backward pass
    assertThat(quantised.activations()).isEqualTo(plain.activations() + 73_728L * 4);
    assertThat(Method.of("qlora")).isEqualTo(Method.QLORA);
    assertThat(Method.of(null)).isEqualTo(Method.LORA);
  }

  @Test
  void attentionScoresGrowWithTheSquareOfTheLength() {
    Job shortRows = new Job(Method.LORA, 1, 64, 8, List.of("q_proj"), 4);
    long at64 = MemoryEstimate.activations(TINY, shortRows);
    long at128 =
        MemoryEstimate.activations(TINY, new Job(Method.LORA, 1, 128, 8, List.of("q_proj"), 4));
    // doubling the length doubles the per-token arrays and quadruples the 3 × heads × length²
    long scores64 = 4L * 2 * 3 * 4 * 64 * 64;
    assertThat(at128 - 4 * scores64).isEqualTo(2 * (at64 - scores64));
  }

  @Test
  void aOneBillionModelFullyFineTunedNeedsMoreThanSixteenGib() {
    // Llama 3.2 1B's shape: 1,235,814,400 weights
    ModelConfig llama =
        ModelConfig.parse(
            """
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 2048, "intermediate_size": 8192,
             "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8,
             "head_dim": 64, "vocab_size": 128256, "tie_word_embeddings": true}
            """);
    Job job = new Job(Method.FULL, 4, 512, 0, List.of(), 4);
    MemoryEstimate estimate = MemoryEstimate.of(llama, 1_235_814_400L, job);
    // 16 bytes a weight (weights, gradient, two moments) is 18.4 GiB before any activation
    assertThat(estimate.weights() + estimate.gradients() + estimate.optimizer())
        .isEqualTo(16L * 1_235_814_400L);
    assertThat(MemoryEstimate.gib(16L * 1_235_814_400L)).isEqualTo("18.4 GiB");
    assertThat(estimate.fitsIn(16L << 30)).isFalse();
    assertThat(MemoryEstimate.microBatchThatFits(llama, 1_235_814_400L, job, 16L << 30)).isEmpty();
  }

  @Test
  void aSmallerMicroBatchIsOfferedWhenItFits() {
    Job job = new Job(Method.LORA, 8, 64, 8, List.of("q_proj", "v_proj"), 4);
    long atFour = MemoryEstimate.of(TINY, TINY_PARAMETERS, job.withMicroBatch(4)).total();
    long atTwo = MemoryEstimate.of(TINY, TINY_PARAMETERS, job.withMicroBatch(2)).total();
    assertThat(MemoryEstimate.microBatchThatFits(TINY, TINY_PARAMETERS, job, atFour))
        .isEqualTo(OptionalInt.of(4));
    assertThat(MemoryEstimate.microBatchThatFits(TINY, TINY_PARAMETERS, job, atFour - 1))
        .isEqualTo(OptionalInt.of(2));
    assertThat(MemoryEstimate.microBatchThatFits(TINY, TINY_PARAMETERS, job, atTwo - 1))
        .isEqualTo(OptionalInt.of(1));
    assertThat(MemoryEstimate.microBatchThatFits(TINY, TINY_PARAMETERS, job, 1_000)).isEmpty();
  }
}
