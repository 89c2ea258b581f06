package dev.tuneforge.modelformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * Qwen3 and Gemma 3 as their published {@code config.json} files describe them: the shapes an
 * import checks checkpoints against, the parameters counted from them, and what each layer does.
 */
class ModelConfigTest {

  /** Qwen/Qwen3-0.6B's config.json. */
  static final String QWEN3_0_6B =
      """
      {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
       "bos_token_id": 151643, "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu",
       "hidden_size": 1024, "initializer_range": 0.02, "intermediate_size": 3072,
       "max_position_embeddings": 40960, "max_window_layers": 28, "model_type": "qwen3",
       "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8,
       "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000,
       "sliding_window": null, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
       "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false,
       "vocab_size": 151936}
      """;

  /** google/gemma-3-270m's config.json. */
  static final String GEMMA3_270M =
      """
      {"_sliding_window_pattern": 6, "architectures": ["Gemma3ForCausalLM"],
       "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": null,
       "bos_token_id": 2, "eos_token_id": 1, "final_logit_softcapping": null, "head_dim": 256,
       "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 640, "initializer_range": 0.02,
       "intermediate_size": 2048,
       "layer_types": ["sliding_attention", "sliding_attention", "sliding_attention",
         "sliding_attention", "sliding_attention", "full_attention", "sliding_attention",
         "sliding_attention", "sliding_attention", "sliding_attention", "sliding_attention",
         "full_attention", "sliding_attention", "sliding_attention", "sliding_attention",
         "sliding_attention", "sliding_attention", "full_attention"],
       "max_position_embeddings": 32768, "model_type": "gemma3_text", "num_attention_heads": 4,
       "num_hidden_layers": 18, "num_key_value_heads": 1, "pad_token_id": 0,
       "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000.0,
       "rope_scaling": null, "rope_theta": 1000000.0, "sliding_window": 512,
       "torch_dtype": "bfloat16", "transformers_version": "4.55.0.dev0",
       "use_bidirectional_attention": false, "use_cache": true, "vocab_size": 262144}
      """;

  @Test
  void qwen3_0_6bHasQkNormsAndItsOwnHeadDimAndCountsItsPublishedParameters() {
    ModelConfig config = ModelConfig.parse(QWEN3_0_6B);
    SortedMap<String, long[]> shapes = config.tensorShapes();

    assertThat(config.headDim()).isEqualTo(128).isNotEqualTo(1024 / 16);
    assertThat(config.style().qkNorm()).isTrue();
    assertThat(config.style().gemmaNorms()).isFalse();
    assertThat(config.qkvBias()).isFalse();
    assertThat(config.tieWordEmbeddings()).isTrue();
    assertThat(config.layerTypes()).containsOnly(ModelConfig.FULL);
    assertThat(shapes.get("model.layers.27.self_attn.q_proj.weight")).containsExactly(2048, 1024);
    assertThat(shapes.get("model.layers.27.self_attn.o_proj.weight")).containsExactly(1024, 2048);
    assertThat(shapes.get("model.layers.0.self_attn.q_norm.weight")).containsExactly(128);
    assertThat(shapes.get("model.layers.0.self_attn.k_norm.weight")).containsExactly(128);
    assertThat(shapes).doesNotContainKey("lm_head.weight").hasSize(2 + 28 * 11);
    // The model card: 0.6B parameters, 0.44B of them outside the embedding.
    assertThat(parameters(shapes)).isEqualTo(596_049_920L);
    assertThat(parameters(shapes) - 151936L * 1024).isEqualTo(440_467_456L);
  }

  @Test
  void gemma3_270mAlternatesFiveLocalLayersWithOneGlobalAndCountsItsPublishedParameters() {
    ModelConfig config = ModelConfig.parse(GEMMA3_270M);
    SortedMap<String, long[]> shapes = config.tensorShapes();
    DecoderStyle style = config.style();

    assertThat(style.gemmaNorms()).isTrue();
    assertThat(style.qkNorm()).isTrue();
    assertThat(style.hiddenActivation()).isEqualTo(DecoderStyle.GELU_TANH);
    // sqrt(640) = 25.298 is 25.25 in bf16, the checkpoint's dtype, as Hugging Face multiplies.
    assertThat(style.embeddingScale()).isEqualTo(25.25);
    assertThat(style.queryScale()).isEqualTo(1.0 / 16);
    assertThat(style.attnLogitSoftcapping()).isZero();
    assertThat(style.finalLogitSoftcapping()).isZero();
    assertThat(config.window(0)).isEqualTo(512);
    assertThat(config.window(5)).isZero();
    assertThat(config.window(17)).isZero();
    assertThat(config.inverseFrequencies(0)[1]).isCloseTo(Math.pow(1e4, -2.0 / 256), within(1e-15));
    assertThat(config.inverseFrequencies(5)[1]).isCloseTo(Math.pow(1e6, -2.0 / 256), within(1e-15));
    assertThat(config.tieWordEmbeddings()).isTrue();
    assertThat(config.maxPositionEmbeddings()).isEqualTo(32768);
    assertThat(shapes.get("model.layers.0.self_attn.q_proj.weight")).containsExactly(1024, 640);
    assertThat(shapes.get("model.layers.0.self_attn.k_proj.weight")).containsExactly(256, 640);
    assertThat(shapes.get("model.layers.0.self_attn.o_proj.weight")).containsExactly(640, 1024);
    assertThat(shapes.get("model.layers.17.pre_feedforward_layernorm.weight")).containsExactly(640);
    assertThat(shapes.get("model.layers.17.post_feedforward_layernorm.weight"))
        .containsExactly(640);
    assertThat(shapes.get("model.layers.17.self_attn.k_norm.weight")).containsExactly(256);
    assertThat(shapes).doesNotContainKey("lm_head.weight").hasSize(2 + 18 * 13);
    // Google's figures: 170M embedding and 100M transformer parameters.
    assertThat(parameters(shapes)).isEqualTo(268_098_176L);
  }

  @Test
  void readsABareGemma3TextConfigWithItsDefaultsAndThePatternItNames() {
    ModelConfig config =
        ModelConfig.parse(
            """
            {"model_type": "gemma3_text", "hidden_size": 64, "intermediate_size": 128,
             "num_hidden_layers": 4, "num_attention_heads": 2, "num_key_value_heads": 1,
             "head_dim": 32, "vocab_size": 300, "sliding_window_pattern": 2, "sliding_window": 8}
            """);

    assertThat(config.architecture()).isEqualTo("Gemma3ForCausalLM");
    assertThat(config.layerTypes())
        .containsExactly(
            ModelConfig.SLIDING, ModelConfig.FULL, ModelConfig.SLIDING, ModelConfig.FULL);
    assertThat(config.tieWordEmbeddings()).isTrue();
    assertThat(config.ropeTheta()).isEqualTo(1e6);
    assertThat(config.style().localRopeTheta()).isEqualTo(1e4);
    assertThat(config.style().queryScale()).isEqualTo(1.0 / 16);
    // No dtype named: float32, so the normaliser is sqrt(64) as it is.
    assertThat(config.style().embeddingScale()).isEqualTo(8);
  }

  @Test
  void readsNewerRopeParametersPerLayerTypeWithLinearScalingOnGlobalLayers() {
    ModelConfig config =
        ModelConfig.parse(
            GEMMA3_270M
                .replace("\"rope_local_base_freq\": 10000.0,", "")
                .replace("\"rope_theta\": 1000000.0,", "")
                .replace(
                    "\"rope_scaling\": null",
                    "\"rope_parameters\": {\"full_attention\": {\"rope_type\": \"linear\","
                        + " \"factor\": 8.0, \"rope_theta\": 1000000.0}, \"sliding_attention\":"
                        + " {\"rope_type\": \"default\", \"rope_theta\": 10000.0}}"));

    assertThat(config.ropeScaling()).isEqualTo(RopeScaling.linear(8));
    assertThat(config.inverseFrequencies(5)[1])
        .isCloseTo(Math.pow(1e6, -2.0 / 256) / 8, within(1e-15));
    assertThat(config.inverseFrequencies(0)[1]).isCloseTo(Math.pow(1e4, -2.0 / 256), within(1e-15));
  }

  @Test
  void refusesWhatTheTrainerDoesNotComputeNamingTheField() {
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    GEMMA3_270M.replace("Gemma3ForCausalLM", "Gemma3ForConditionalGeneration")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageStartingWith(
            "Gemma3ForConditionalGeneration (text and images) is not supported");
    assertThatThrownBy(() -> ModelConfig.parse(GEMMA3_270M.replace("gelu_pytorch_tanh", "gelu")))
        .hasMessage("hidden_activation gelu is not supported; supported: gelu_pytorch_tanh");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    GEMMA3_270M.replace(
                        "\"use_bidirectional_attention\": false",
                        "\"use_bidirectional_attention\": true")))
        .hasMessageStartingWith("use_bidirectional_attention is not supported");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    QWEN3_0_6B.replace("\"attention_bias\": false", "\"attention_bias\": true")))
        .hasMessage("attention_bias and mlp_bias are not supported yet");
    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    GEMMA3_270M.replace("\"sliding_attention\", \"full_attention\"]", "\"x\"]")))
        .hasMessageStartingWith("layer_types must name 18 layers, each full_attention or");
  }

  private static long parameters(Map<String, long[]> shapes) {
    long total = 0;
    for (long[] shape : shapes.values()) {
      long size = 1;
      for (long dim : shape) {
        size *= dim;
      }
      total += size;
    }
    return total;
  }
}
