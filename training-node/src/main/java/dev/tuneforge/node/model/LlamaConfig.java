package dev.tuneforge.node.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The parts of a Hugging Face {@code config.json} that a Llama-shaped model needs. */
public record LlamaConfig(
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
    boolean tieWordEmbeddings) {

  public static final Set<String> SUPPORTED_ARCHITECTURES = Set.of("LlamaForCausalLM");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public LlamaConfig {
    architectures = List.copyOf(architectures);
    if (numAttentionHeads <= 0 || numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
      throw new UnsupportedModelException(
          "num_attention_heads " + numAttentionHeads + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
    }
    if (headDim % 2 != 0) {
      throw new UnsupportedModelException("head_dim " + headDim + " is odd; rotary embeddings need it even");
    }
  }

  public static LlamaConfig read(Path configJson) throws IOException {
    return parse(Files.readString(configJson));
  }

  public static LlamaConfig parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new UnsupportedModelException("config.json is not valid JSON: " + e.getOriginalMessage());
    }
    List<String> architectures = new ArrayList<>();
    root.path("architectures").forEach(a -> architectures.add(a.asString()));
    if (architectures.isEmpty() || !SUPPORTED_ARCHITECTURES.contains(architectures.getFirst())) {
      throw new UnsupportedModelException(
          "unsupported architecture " + (architectures.isEmpty() ? "(none given)" : architectures.getFirst())
              + "; supported: " + String.join(", ", SUPPORTED_ARCHITECTURES.stream().sorted().toList()));
    }
    if (root.path("attention_bias").asBoolean(false) || root.path("mlp_bias").asBoolean(false)) {
      throw new UnsupportedModelException("attention_bias and mlp_bias are not supported yet");
    }
    if (!root.path("rope_scaling").isMissingNode() && !root.path("rope_scaling").isNull()) {
      throw new UnsupportedModelException("rope_scaling is not supported yet");
    }
    int hidden = required(root, "hidden_size");
    int heads = required(root, "num_attention_heads");
    return new LlamaConfig(
        architectures,
        hidden,
        required(root, "intermediate_size"),
        required(root, "num_hidden_layers"),
        heads,
        root.path("num_key_value_heads").asInt(heads),
        root.path("head_dim").isNumber() ? root.path("head_dim").asInt() : hidden / heads,
        required(root, "vocab_size"),
        root.path("rms_norm_eps").asDouble(1e-6),
        root.path("rope_theta").asDouble(10000.0),
        root.path("max_position_embeddings").asInt(2048),
        root.path("tie_word_embeddings").asBoolean(false));
  }

  private static int required(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (!node.isNumber() || node.asInt() <= 0) {
      throw new UnsupportedModelException("config.json lacks a positive " + field);
    }
    return node.asInt();
  }
}
