package dev.tuneforge.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The work per trained token that scales one job's speed to another's, on hand-counted models. */
class TokenWorkTest {
  /** The demo model's shape: hidden 64, 2 layers, 4 heads of 16, 2 key-value heads, 271 tokens. */
  private static final String DEMO =
      """
      {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64,
       "intermediate_size": 172, "num_hidden_layers": 2, "num_attention_heads": 4,
       "num_key_value_heads": 2, "vocab_size": 271, "max_position_embeddings": 1024,
       "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false,
       "hidden_act": "silu", "torch_dtype": "float32"}
      """;

  @Test
  void onASmallModelWithLongRowsTheAttentionMakesFullCostLittleMoreThanLora() {
    // Weights: head 271 × 64 = 17,344; per layer q 64×64, k and v 32×64, o 64×64, gate, up and
    // down 172×64 each: 45,312, twice. Attention: 2 layers × 2 products × 4 heads × 16 × 650.
    double weights = 17_344 + 2 * 45_312;
    double attention = 2 * 2 * 4 * 16 * 650;
    double lora = TokenWork.perToken(DEMO, 125_000, "lora", 650);
    double full = TokenWork.perToken(DEMO, 125_000, "full", 650);
    assertThat(lora).isEqualTo(2 * weights + 3 * attention);
    assertThat(full).isEqualTo(3 * weights + 3 * attention);
    assertThat(full / lora).as("not the 3/2 of a model whose weights dominate").isLessThan(1.2);
  }

  @Test
  void withoutAReadableConfigFullTakesThreeHalvesOfLoraPerParameter() {
    assertThat(TokenWork.perToken(null, 1_000, "lora", 650)).isEqualTo(2_000);
    assertThat(TokenWork.perToken(null, 1_000, "full", 650)).isEqualTo(3_000);
    assertThat(TokenWork.perToken("{\"hidden_size\": 1}", 1_000, "qlora", 650))
        .as("a config this trainer cannot read")
        .isEqualTo(2_000);
  }
}
