package dev.tuneforge.modelformat;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code config.json} into a {@link ModelConfig}, with each architecture's own defaults and
 * field names as Hugging Face's configuration classes define them (Qwen3's head_dim 128, Gemma 3's
 * hidden_activation, rope_local_base_freq and layer pattern), and refuses what the trainer does not
 * implement with a message that names the field.
 */
final class ModelConfigParser {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String QWEN2 = "Qwen2ForCausalLM";
  private static final String QWEN3 = "Qwen3ForCausalLM";
  private static final String GEMMA3 = "Gemma3ForCausalLM";
  private static final String MISTRAL = "MistralForCausalLM";

  private ModelConfigParser() {}

  static ModelConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new UnsupportedModelException(
          "config.json is not valid JSON: " + e.getOriginalMessage());
    }
    List<String> architectures = architectures(root);
    String architecture = architectures.getFirst();
    boolean gemma = architecture.equals(GEMMA3);
    if (root.path("mlp_bias").asBoolean(false)
        || !architecture.equals(QWEN2) && root.path("attention_bias").asBoolean(false)) {
      // Qwen2 defines no attention_bias: it hard-wires q/k/v biases.
      throw new UnsupportedModelException("attention_bias and mlp_bias are not supported yet");
    }
    if (root.path("use_bidirectional_attention").asBoolean(false)) {
      throw new UnsupportedModelException(
          "use_bidirectional_attention is not supported: the trainer trains causal models");
    }
    int hidden = required(root, "hidden_size");
    int heads = required(root, "num_attention_heads");
    int layers = required(root, "num_hidden_layers");
    int headDim = positive(root, "head_dim", defaultHeadDim(architecture, hidden, heads));
    JsonNode rope = ropeNode(root, gemma ? ModelConfig.FULL : null);
    String dtype = root.path("torch_dtype").asString(root.path("dtype").asString("float32"));
    int window = slidingWindow(root, architecture);
    return new ModelConfig(
        architectures,
        hidden,
        required(root, "intermediate_size"),
        layers,
        heads,
        positive(root, "num_key_value_heads", heads),
        headDim,
        required(root, "vocab_size"),
        root.path("rms_norm_eps").asDouble(1e-6),
        root.path("rope_theta").asDouble(rope.path("rope_theta").asDouble(gemma ? 1e6 : 10000.0)),
        root.path("max_position_embeddings").asInt(gemma ? 131072 : 2048),
        root.path("tie_word_embeddings").asBoolean(gemma),
        architecture.equals(QWEN2),
        RopeScaling.parse(rope),
        window,
        layerTypes(root, architecture, layers, window),
        dtype,
        gemma ? gemmaStyle(root, hidden, dtype) : llamaStyle(root, architecture, headDim));
  }

  /**
   * {@code architectures}, or for a config that names only its {@code model_type} (as a bare
   * Gemma3TextConfig does) the causal LM of that type.
   */
  private static List<String> architectures(JsonNode root) {
    List<String> architectures = new ArrayList<>();
    root.path("architectures").forEach(a -> architectures.add(a.asString()));
    if (architectures.isEmpty()) {
      String modelType = root.path("model_type").asString("");
      String implied =
          switch (modelType) {
            case "llama" -> "LlamaForCausalLM";
            case "mistral" -> MISTRAL;
            case "qwen2" -> QWEN2;
            case "qwen3" -> QWEN3;
            case "gemma3_text" -> GEMMA3;
            default -> "";
          };
      if (!implied.isEmpty()) {
        architectures.add(implied);
      }
    }
    String architecture = architectures.isEmpty() ? "(none given)" : architectures.getFirst();
    if (architecture.equals("Gemma3ForConditionalGeneration")) {
      throw new UnsupportedModelException(
          "Gemma3ForConditionalGeneration (text and images) is not supported; Gemma 3's text-only"
              + " models (Gemma3ForCausalLM, model_type gemma3_text) are");
    }
    if (!ModelConfig.SUPPORTED_ARCHITECTURES.contains(architecture)) {
      throw new UnsupportedModelException(
          "unsupported architecture "
              + architecture
              + "; supported: "
              + String.join(", ", ModelConfig.SUPPORTED_ARCHITECTURES.stream().sorted().toList()));
    }
    return architectures;
  }

  /** Qwen3's configuration defaults head_dim to 128; the others derive it. */
  private static int defaultHeadDim(String architecture, int hidden, int heads) {
    return architecture.equals(QWEN3) ? 128 : hidden / heads;
  }

  /**
   * {@code rope_scaling}, or the newer {@code rope_parameters}, which for Gemma holds one entry per
   * layer type.
   */
  private static JsonNode ropeNode(JsonNode root, @Nullable String layerType) {
    JsonNode parameters = root.path("rope_parameters");
    if (parameters.isObject()) {
      return layerType != null && parameters.has(layerType)
          ? parameters.path(layerType)
          : parameters;
    }
    return root.path("rope_scaling");
  }

  private static DecoderStyle llamaStyle(JsonNode root, String architecture, int headDim) {
    String activation = root.path("hidden_act").asString(DecoderStyle.SILU);
    if (!activation.equals(DecoderStyle.SILU)) {
      throw new UnsupportedModelException(
          "hidden_act " + activation + " is not supported; supported: silu");
    }
    return architecture.equals(QWEN3) ? DecoderStyle.qwen3(headDim) : DecoderStyle.llama(headDim);
  }

  private static DecoderStyle gemmaStyle(JsonNode root, int hidden, String dtype) {
    String activation =
        root.path("hidden_activation")
            .asString(root.path("hidden_act").asString("gelu_pytorch_tanh"));
    if (!activation.equals(DecoderStyle.GELU_TANH)) {
      throw new UnsupportedModelException(
          "hidden_activation " + activation + " is not supported; supported: gelu_pytorch_tanh");
    }
    // Only the newer rope_parameters name the local layers' rotary; older configs have
    // rope_local_base_freq.
    JsonNode local = root.path("rope_parameters").path(ModelConfig.SLIDING);
    double localTheta =
        root.path("rope_local_base_freq").asDouble(local.path("rope_theta").asDouble(10000.0));
    if (RopeScaling.parse(local) != null) {
      throw new UnsupportedModelException(
          "rope_parameters.sliding_attention: only default rotary embeddings are supported on"
              + " sliding-window layers");
    }
    double queryPreAttnScalar = root.path("query_pre_attn_scalar").asDouble(256);
    if (queryPreAttnScalar <= 0) {
      throw new UnsupportedModelException("query_pre_attn_scalar must be positive");
    }
    return new DecoderStyle(
        true,
        true,
        activation,
        roundedTo(Math.sqrt(hidden), dtype),
        1 / Math.sqrt(queryPreAttnScalar),
        root.path("attn_logit_softcapping").asDouble(0),
        root.path("final_logit_softcapping").asDouble(0),
        localTheta);
  }

  /**
   * Hugging Face multiplies Gemma's embeddings by sqrt(hidden_size) cast to the weights' dtype, so
   * a bf16 checkpoint was trained with the bf16-rounded normaliser.
   */
  static double roundedTo(double value, String dtype) {
    float single = (float) value;
    return switch (dtype) {
      case "bfloat16" -> {
        int bits = Float.floatToRawIntBits(single);
        yield Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
      }
      case "float16" -> Float.float16ToFloat(Float.floatToFloat16(single));
      default -> single;
    };
  }

  /**
   * Mistral applies {@code sliding_window} whenever it is set, Qwen2 and Qwen3 only with
   * use_sliding_window, Gemma 3 on its sliding layers, Llama never.
   */
  private static int slidingWindow(JsonNode root, String architecture) {
    JsonNode window = root.path("sliding_window");
    boolean applies =
        switch (architecture) {
          case MISTRAL -> window.isNumber();
          case QWEN2, QWEN3 -> root.path("use_sliding_window").asBoolean(false);
          case GEMMA3 -> true;
          default -> false;
        };
    if (!applies) {
      return 0;
    }
    int size = window.isNumber() ? window.asInt() : architecture.equals(GEMMA3) ? 4096 : 0;
    if (size <= 0) {
      throw new UnsupportedModelException("sliding_window " + window + " is not positive");
    }
    return size;
  }

  /**
   * {@code layer_types} when the config lists them, else as each architecture's configuration
   * derives them: Gemma 3 every {@code sliding_window_pattern}-th layer global, Qwen the layers
   * from {@code max_window_layers} on sliding, Mistral every layer sliding.
   */
  private static List<String> layerTypes(
      JsonNode root, String architecture, int layers, int window) {
    List<String> types = new ArrayList<>();
    if (root.path("layer_types").isArray()) {
      root.path("layer_types").forEach(t -> types.add(t.asString()));
      if (window == 0 && types.contains(ModelConfig.SLIDING)) {
        // A Qwen config lists sliding layers even when use_sliding_window turns them off.
        types.replaceAll(t -> ModelConfig.FULL);
      }
      return types;
    }
    int pattern =
        root.path("sliding_window_pattern").asInt(root.path("_sliding_window_pattern").asInt(6));
    int maxWindowLayers = root.path("max_window_layers").asInt(28);
    for (int i = 0; i < layers; i++) {
      boolean sliding =
          window > 0
              && switch (architecture) {
                case GEMMA3 -> (i + 1) % pattern != 0;
                case QWEN2, QWEN3 -> i >= maxWindowLayers;
                default -> true;
              };
      types.add(sliding ? ModelConfig.SLIDING : ModelConfig.FULL);
    }
    return types;
  }

  private static int required(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (!node.isNumber() || node.asInt() <= 0) {
      throw new UnsupportedModelException("config.json lacks a positive " + field);
    }
    return node.asInt();
  }

  private static int positive(JsonNode root, String field, int fallback) {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber() || node.asInt() <= 0) {
      throw new UnsupportedModelException("config.json's " + field + " is not a positive number");
    }
    return node.asInt();
  }
}
