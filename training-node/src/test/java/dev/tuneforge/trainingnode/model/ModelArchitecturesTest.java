package dev.tuneforge.trainingnode.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.RopeScaling;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.SafeTensorsException;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen2, Mistral and Llama 3 configurations, and the messages of models this trainer refuses. */
class ModelArchitecturesTest {

  static {
    TestEngine.useOneThread();
  }

  private static final LoraSettings LORA = new LoraSettings(2, 4, 0, List.of("q_proj", "v_proj"));

  @TempDir Path dir;

  private static DemoModelWriter.Builder tiny() {
    return DemoModelWriter.builder()
        .optSeed(5)
        .optHiddenSize(16)
        .optIntermediateSize(24)
        .optHeads(4, 2);
  }

  private static TokenBatch batch(int length) {
    long[] ids = new long[length];
    long[] mask = new long[length];
    long[] labels = new long[length];
    for (int i = 0; i < length; i++) {
      ids[i] = 10 + i;
      mask[i] = 1;
      labels[i] = 10 + i;
    }
    return new TokenBatch(1, length, ids, mask, labels);
  }

  @Test
  void readsALlama32StyleConfigWithLlama3RopeScalingAndTiedEmbeddings() {
    ModelConfig config =
        ModelConfig.parse(
            """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "head_dim": 64, "hidden_act": "silu",
             "hidden_size": 2048, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
             "rms_norm_eps": 1e-05, "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
             "original_max_position_embeddings": 8192, "rope_type": "llama3"}, "rope_theta": 500000.0,
             "tie_word_embeddings": true, "torch_dtype": "bfloat16", "vocab_size": 128256}""");

    assertThat(config.headDim()).isEqualTo(64);
    assertThat(config.tieWordEmbeddings()).isTrue();
    assertThat(config.qkvBias()).isFalse();
    assertThat(config.ropeScaling()).isEqualTo(new RopeScaling(32, 1, 4, 8192));
    assertThat(config.slidingWindow()).isZero();
  }

  /** Hand-checked against Hugging Face's _compute_llama3_parameters for theta 100, head_dim 8. */
  @Test
  void llama3ScalingKeepsBlendsAndStretchesFrequenciesAsHuggingFaceDoes() {
    double[] scaled = new RopeScaling(8, 1, 4, 64).scale(RopeScaling.defaultFrequencies(8, 100));

    assertThat(scaled[0]).isCloseTo(1.0, within(1e-15));
    assertThat(scaled[1]).isCloseTo(0.24438459943539834, within(1e-15));
    assertThat(scaled[2]).isCloseTo(0.013042256043820465, within(1e-15));
    assertThat(scaled[3]).isCloseTo(0.003952847075210474, within(1e-15));
  }

  @Test
  void readsRopeThetaAndTypeFromTheNewerRopeParameters() {
    ModelConfig config =
        ModelConfig.parse(
            """
            {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
             "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 300,
             "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0},
             "use_sliding_window": false, "sliding_window": 4096, "tie_word_embeddings": true}""");

    assertThat(config.ropeTheta()).isEqualTo(1_000_000.0);
    assertThat(config.ropeScaling()).isNull();
    assertThat(config.qkvBias()).isTrue();
    assertThat(config.slidingWindow()).isZero();
    assertThat(config.headDim()).isEqualTo(16);
  }

  @Test
  void qwen2TiedModelTrainsLoraWithTheUsualPeftKeys() throws IOException {
    tiny()
        .optArchitecture("Qwen2ForCausalLM")
        .optDataType(DataType.BF16)
        .build()
        .writeTo(dir.resolve("qwen"));
    tiny().build().writeTo(dir.resolve("llama"));

    assertThat(SafeTensors.shapes(dir.resolve("qwen/model.safetensors")))
        .doesNotContainKey("lm_head.weight")
        .containsKeys(
            "model.layers.1.self_attn.q_proj.bias", "model.layers.1.self_attn.v_proj.bias");
    try (LlamaModel qwen = LlamaModel.load(dir.resolve("qwen"), LORA, 1);
        LlamaModel llama = LlamaModel.load(dir.resolve("llama"), LORA, 1);
        NDManager step = NDManager.newBaseManager()) {
      assertThat(qwen.config().tieWordEmbeddings()).isTrue();
      assertThat(qwen.loss(step, batch(6), false).getFloat()).isFinite();
      assertThat(qwen.exportLora().keySet()).isEqualTo(llama.exportLora().keySet());

      PeftAdapterWriter.write(dir.resolve("adapter"), LORA, "tiny-qwen2", qwen.exportLora());
    }
    assertThat(
            SafeTensors.shapes(dir.resolve("adapter").resolve(JobFolder.ADAPTER_WEIGHTS)).keySet())
        .hasSize(2 * 2 * 2)
        .contains(
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
            "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight")
        .noneMatch(key -> key.contains("lm_head") || key.contains("embed_tokens"));
  }

  @Test
  void shardedAndSingleFileModelsGiveTheSameLoss() throws IOException {
    tiny().build().writeTo(dir.resolve("single"));
    tiny().optShards(3).build().writeTo(dir.resolve("sharded"));

    assertThat(dir.resolve("sharded/model.safetensors")).doesNotExist();
    assertThat(dir.resolve("sharded/model-00003-of-00003.safetensors")).exists();
    try (LlamaModel single = LlamaModel.load(dir.resolve("single"), LORA, 1);
        LlamaModel sharded = LlamaModel.load(dir.resolve("sharded"), LORA, 1);
        NDManager step = NDManager.newBaseManager()) {
      assertThat(sharded.loss(step, batch(5), false).getFloat())
          .isEqualTo(single.loss(step, batch(5), false).getFloat());
    }
  }

  @Test
  void mistralsSlidingWindowHidesOnlyTokensBeyondIt() throws IOException {
    tiny().optArchitecture("MistralForCausalLM").optSlidingWindow(4, 1).build().writeTo(dir);
    Path unwindowed = dir.resolve("unwindowed");
    tiny().optArchitecture("MistralForCausalLM").build().writeTo(unwindowed);

    try (LlamaModel windowed = LlamaModel.load(dir, LORA, 1);
        LlamaModel full = LlamaModel.load(unwindowed, LORA, 1);
        NDManager step = NDManager.newBaseManager()) {
      float[] near = windowed.logits(step, batch(7), false).toFloatArray();
      float[] far = full.logits(step, batch(7), false).toFloatArray();
      int vocab = near.length / 7;
      // Positions 0-3 see at most 4 tokens, as with full attention; 4-6 lose the earliest.
      for (int t = 0; t < 7; t++) {
        float[] windowedRow = Arrays.copyOfRange(near, t * vocab, (t + 1) * vocab);
        float[] fullRow = Arrays.copyOfRange(far, t * vocab, (t + 1) * vocab);
        if (t < 4) {
          assertThat(windowedRow).as("position " + t).containsExactly(fullRow, within(1e-6f));
        } else {
          assertThat(windowedRow).as("position " + t).isNotEqualTo(fullRow);
        }
      }
    }
  }

  @Test
  void refusesAModelWhoseWeightsLackATensor() throws IOException {
    tiny().build().writeTo(dir);
    rewriteWeights(weights -> weights.remove("model.layers.1.mlp.up_proj.weight"));

    assertThatThrownBy(() -> LlamaModel.load(dir, LORA, 1))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage("the model's weights lack model.layers.1.mlp.up_proj.weight");
  }

  @Test
  void refusesAQwen2ModelWithoutItsAttentionBiases() throws IOException {
    tiny().optArchitecture("Qwen2ForCausalLM").build().writeTo(dir);
    rewriteWeights(weights -> weights.remove("model.layers.0.self_attn.k_proj.bias"));

    assertThatThrownBy(() -> LlamaModel.load(dir, LORA, 1))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage("the model's weights lack model.layers.0.self_attn.k_proj.bias");
  }

  @Test
  void refusesAWeightOfTheWrongShape() throws IOException {
    tiny().build().writeTo(dir);
    rewriteWeights(
        weights ->
            weights.put(
                "model.layers.0.self_attn.k_proj.weight",
                new Tensor(new long[] {16, 16}, new float[256])));

    assertThatThrownBy(() -> LlamaModel.load(dir, LORA, 1))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage(
            "model.layers.0.self_attn.k_proj.weight has shape [16, 16] but config.json implies [8, 16]");
  }

  @Test
  void refusesAMissingShardAndATruncatedFile() throws IOException {
    tiny().optShards(2).build().writeTo(dir.resolve("sharded"));
    Files.delete(dir.resolve("sharded/model-00002-of-00002.safetensors"));
    tiny().build().writeTo(dir.resolve("truncated"));
    Path file = dir.resolve("truncated/model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> LlamaModel.load(dir.resolve("sharded"), LORA, 1))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage(
            "model-00002-of-00002.safetensors: named in model.safetensors.index.json but missing");
    assertThatThrownBy(() -> LlamaModel.load(dir.resolve("truncated"), LORA, 1))
        .isInstanceOf(SafeTensorsException.class)
        .hasMessageContaining("inconsistent data_offsets");
    assertThatThrownBy(() -> LlamaModel.load(dir.resolve("nothing"), LORA, 1))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage("the model directory has no config.json");
  }

  @Test
  void refusesConfigurationsItCannotComputeNamingWhatIsSupported() throws IOException {
    tiny().build().writeTo(dir);
    String config = Files.readString(dir.resolve("config.json"));

    assertThatThrownBy(
            () ->
                ModelConfig.parse(
                    config.replace(
                        "\"rope_scaling\" : null",
                        "\"rope_scaling\" : {\"rope_type\": \"yarn\", \"factor\": 4.0}")))
        .hasMessage(
            "rope_scaling of type yarn is not supported; supported: none, default, llama3, linear");
    assertThatThrownBy(() -> ModelConfig.parse(config.replace("\"silu\"", "\"gelu\"")))
        .hasMessage("hidden_act gelu is not supported; supported: silu");
    assertThatThrownBy(
            () -> ModelConfig.parse(config.replace("\"mlp_bias\" : false", "\"mlp_bias\" : true")))
        .hasMessage("attention_bias and mlp_bias are not supported yet");
    assertThatThrownBy(
            () -> ModelConfig.parse(config.replace("LlamaForCausalLM", "Gemma2ForCausalLM")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessage(
            "unsupported architecture Gemma2ForCausalLM; supported: Gemma3ForCausalLM, LlamaForCausalLM,"
                + " MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM");
  }

  private void rewriteWeights(java.util.function.Consumer<Map<String, Tensor>> change)
      throws IOException {
    Path file = dir.resolve("model.safetensors");
    Map<String, Tensor> weights = new TreeMap<>(SafeTensors.read(file).tensors());
    change.accept(weights);
    SafeTensors.write(file, weights, Map.of());
  }
}
