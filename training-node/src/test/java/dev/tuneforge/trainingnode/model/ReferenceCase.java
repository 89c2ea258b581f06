package dev.tuneforge.trainingnode.model;

import dev.tuneforge.modelformat.RopeScaling;
import dev.tuneforge.modelformat.safetensors.DataType;
import java.util.function.UnaryOperator;

/**
 * The tiny models the PyTorch reference tests compare the trainer with: every supported
 * architecture and the options each brings (GQA everywhere; dtype, layout, rotary scaling, head_dim
 * and Gemma's window and soft-capping vary).
 */
public enum ReferenceCase {
  LLAMA(b -> b),
  LLAMA3_ROPE_SCALING(
      // rope_theta 100 and a 64-token original context put the four frequency pairs of
      // head_dim 8 in all three of llama3's regimes: kept, blended and divided by factor.
      b -> b.optRopeScaling(new RopeScaling(8, 1, 4, 64)).optRopeTheta(100)),
  QWEN2_TIED_BF16(b -> b.optArchitecture("Qwen2ForCausalLM").optDataType(DataType.BF16)),
  MISTRAL_HEAD_DIM_SHARDED(
      b -> b.optArchitecture("MistralForCausalLM").optHeadDim(12).optShards(2)),
  // head_dim 16 is not hidden / heads, as in Qwen3-0.6B (1024 / 16 heads, head_dim 128).
  QWEN3_TIED_HEAD_DIM(b -> b.optArchitecture("Qwen3ForCausalLM").optHeadDim(16)),
  // Layer 0 attends through a window of WINDOW tokens, fewer than the batch's 8 and the
  // prompt's 11; layer 1 attends fully.
  GEMMA3_SLIDING_WINDOW(
      b ->
          b.optArchitecture("Gemma3ForCausalLM")
              .optHeadDim(16)
              .optSlidingWindow(ReferenceCase.WINDOW, 2)),
  // bf16 rounds sqrt(hidden_size) as Hugging Face does; Gemma 2-style soft-capping and a
  // linearly scaled global rotary, as Gemma 3's bigger models have.
  GEMMA3_BF16_SOFTCAPPED_LINEAR_ROPE(
      b ->
          b.optArchitecture("Gemma3ForCausalLM")
              .optSlidingWindow(ReferenceCase.WINDOW, 2)
              .optSoftcapping(2, 3)
              .optRopeScaling(RopeScaling.linear(8))
              .optDataType(DataType.BF16));

  /** Gemma's local window in these cases. */
  public static final int WINDOW = 3;

  private final UnaryOperator<DemoModelWriter.Builder> options;

  ReferenceCase(UnaryOperator<DemoModelWriter.Builder> options) {
    this.options = options;
  }

  /** The case's model: hidden 32, 2 layers, 4 heads over 2 kv heads, then its own options. */
  public DemoModelWriter model() {
    return options
        .apply(
            DemoModelWriter.builder()
                .optSeed(17)
                .optHiddenSize(32)
                .optIntermediateSize(48)
                .optLayers(2)
                .optHeads(4, 2))
        .build();
  }

  /** Whether the output head is the embedding, so that no lm_head is stored. */
  public boolean tied() {
    return this != LLAMA && this != LLAMA3_ROPE_SCALING && this != MISTRAL_HEAD_DIM_SHARDED;
  }
}
