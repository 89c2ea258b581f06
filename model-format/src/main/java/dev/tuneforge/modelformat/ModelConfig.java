package dev.tuneforge.modelformat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of a Hugging Face {@code config.json} that a supported model needs. Llama, Mistral and
 * Qwen2 share that shape; they differ in biases, tied embeddings and defaults.
 *
 * @param qkvBias whether q, k and v projections carry a bias (Qwen2 always does)
 * @param ropeScaling Llama 3.1's frequency scaling, or null for plain rotary embeddings
 * @param slidingWindow the attention window, or 0 when attention is full; sequences up to the
 *     window are computed exactly, longer ones are refused
 */
public record ModelConfig(
    List<String> architectures,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    int vocabSize,
    double rmsNormEps,
    double ropeTheta,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    @Nullable RopeScaling ropeScaling,
    int slidingWindow) {

  public static final Set<String> SUPPORTED_ARCHITECTURES =
      Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public ModelConfig {
    architectures = List.copyOf(architectures);
    if (numAttentionHeads <= 0
        || numKeyValueHeads <= 0
        || numAttentionHeads % numKeyValueHeads != 0) {
      throw new UnsupportedModelException(
          "num_attention_heads "
              + numAttentionHeads
              + " is not a multiple of num_key_value_heads "
              + numKeyValueHeads);
    }
    if (headDim <= 0 || headDim % 2 != 0) {
      throw new UnsupportedModelException(
          "head_dim " + headDim + " is not positive and even, as rotary embeddings need");
    }
  }

  public static ModelConfig read(Path configJson) throws IOException {
    if (!Files.isRegularFile(configJson)) {
      throw new UnsupportedModelException("the model directory has no config.json");
    }
    return parse(Files.readString(configJson));
  }

  public static ModelConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new UnsupportedModelException(
          "config.json is not valid JSON: " + e.getOriginalMessage());
    }
    List<String> architectures = new ArrayList<>();
    root.path("architectures").forEach(a -> architectures.add(a.asString()));
    String architecture = architectures.isEmpty() ? "(none given)" : architectures.getFirst();
    if (!SUPPORTED_ARCHITECTURES.contains(architecture)) {
      throw new UnsupportedModelException(
          "unsupported architecture "
              + architecture
              + "; supported: "
              + String.join(", ", SUPPORTED_ARCHITECTURES.stream().sorted().toList()));
    }
    boolean qwen2 = architecture.equals("Qwen2ForCausalLM");
    // Qwen2 and Mistral define no attention_bias: Qwen2 hard-wires q/k/v biases, Mistral none.
    if (!qwen2 && root.path("attention_bias").asBoolean(false)
        || root.path("mlp_bias").asBoolean(false)) {
      throw new UnsupportedModelException("attention_bias and mlp_bias are not supported yet");
    }
    String activation = root.path("hidden_act").asString("silu");
    if (!activation.equals("silu")) {
      throw new UnsupportedModelException(
          "hidden_act " + activation + " is not supported; supported: silu");
    }
    JsonNode rope =
        root.has("rope_parameters") ? root.path("rope_parameters") : root.path("rope_scaling");
    int hidden = required(root, "hidden_size");
    int heads = required(root, "num_attention_heads");
    return new ModelConfig(
        architectures,
        hidden,
        required(root, "intermediate_size"),
        required(root, "num_hidden_layers"),
        heads,
        root.path("num_key_value_heads").isNumber()
            ? root.path("num_key_value_heads").asInt()
            : heads,
        root.path("head_dim").isNumber() ? root.path("head_dim").asInt() : hidden / heads,
        required(root, "vocab_size"),
        root.path("rms_norm_eps").asDouble(1e-6),
        root.path("rope_theta").asDouble(rope.path("rope_theta").asDouble(10000.0)),
        root.path("max_position_embeddings").asInt(2048),
        root.path("tie_word_embeddings").asBoolean(false),
        qwen2,
        RopeScaling.parse(rope),
        slidingWindow(root, architecture));
  }

  /**
   * Mistral applies {@code sliding_window} whenever it is set, Qwen2 only with use_sliding_window,
   * Llama never.
   */
  private static int slidingWindow(JsonNode root, String architecture) {
    JsonNode window = root.path("sliding_window");
    boolean applies =
        switch (architecture) {
          case "MistralForCausalLM" -> true;
          case "Qwen2ForCausalLM" -> root.path("use_sliding_window").asBoolean(false);
          default -> false;
        };
    if (!applies || !window.isNumber()) {
      return 0;
    }
    if (window.asInt() <= 0) {
      throw new UnsupportedModelException("sliding_window " + window.asInt() + " is not positive");
    }
    return window.asInt();
  }

  private static int required(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (!node.isNumber() || node.asInt() <= 0) {
      throw new UnsupportedModelException("config.json lacks a positive " + field);
    }
    return node.asInt();
  }

  /** Rotary inverse frequencies per pair of head dimensions, scaled where the config says so. */
  public double[] inverseFrequencies() {
    double[] frequencies = RopeScaling.defaultFrequencies(headDim, ropeTheta);
    return ropeScaling == null ? frequencies : ropeScaling.scale(frequencies);
  }
}
