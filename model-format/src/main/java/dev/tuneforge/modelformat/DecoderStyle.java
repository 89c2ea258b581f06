package dev.tuneforge.modelformat;

import java.util.ArrayList;
import java.util.List;

/**
 * What a decoder layer does beyond the Llama shape, by architecture: Qwen3 normalises queries and
 * keys per head; Gemma 3 also scales its embeddings, normalises with {@code x * (1 + weight)},
 * wraps attention and MLP each in a norm before and after, uses GeGLU and its own attention scale,
 * and may soft-cap scores and logits.
 *
 * @param qkNorm q_norm and k_norm: RMSNorm over head_dim of each query and key head, before rotary
 * @param gemmaNorms RMSNorm as {@code x * (1 + weight)}, and four norms per layer: the output of
 *     attention and of the MLP are normalised too (post_attention_layernorm, post_feedforward_
 *     layernorm), the MLP's input by pre_feedforward_layernorm
 * @param hiddenActivation the MLP's gate activation: {@code silu} (SwiGLU) or {@code
 *     gelu_pytorch_tanh} (GeGLU with the tanh approximation)
 * @param embeddingScale what the embedding lookup is multiplied by: 1, or Gemma's sqrt(hidden_size)
 *     rounded to the checkpoint's dtype as Hugging Face rounds it
 * @param queryScale what q·k is multiplied by: head_dim^-0.5, or query_pre_attn_scalar^-0.5
 * @param attnLogitSoftcapping {@code cap * tanh(scores / cap)} on attention scores; 0 for none
 * @param finalLogitSoftcapping the same on the output logits; 0 for none
 * @param localRopeTheta the rotary base of sliding-window layers (Gemma's rope_local_base_freq,
 *     unscaled); 0 where they share the global one
 */
public record DecoderStyle(
    boolean qkNorm,
    boolean gemmaNorms,
    String hiddenActivation,
    double embeddingScale,
    double queryScale,
    double attnLogitSoftcapping,
    double finalLogitSoftcapping,
    double localRopeTheta) {

  public static final String SILU = "silu";
  public static final String GELU_TANH = "gelu_pytorch_tanh";

  public DecoderStyle {
    if (!hiddenActivation.equals(SILU) && !hiddenActivation.equals(GELU_TANH)) {
      throw new UnsupportedModelException(
          "hidden activation "
              + hiddenActivation
              + " is not supported; supported: "
              + SILU
              + ", "
              + GELU_TANH);
    }
    if (attnLogitSoftcapping < 0 || finalLogitSoftcapping < 0) {
      throw new UnsupportedModelException("logit soft-capping must be positive when set");
    }
  }

  /** Llama, Mistral and Qwen2: none of the above. */
  public static DecoderStyle llama(int headDim) {
    return new DecoderStyle(false, false, SILU, 1, 1 / Math.sqrt(headDim), 0, 0, 0);
  }

  /** Qwen3: Llama's shape plus q/k norms. */
  public static DecoderStyle qwen3(int headDim) {
    return new DecoderStyle(true, false, SILU, 1, 1 / Math.sqrt(headDim), 0, 0, 0);
  }

  /** The norms of one decoder layer by Hugging Face name (after {@code model.layers.N.}). */
  public List<String> layerNorms() {
    List<String> norms = new ArrayList<>();
    norms.add("input_layernorm");
    norms.add("post_attention_layernorm");
    if (gemmaNorms) {
      norms.add("pre_feedforward_layernorm");
      norms.add("post_feedforward_layernorm");
    }
    if (qkNorm) {
      norms.add("self_attn.q_norm");
      norms.add("self_attn.k_norm");
    }
    return List.copyOf(norms);
  }
}
