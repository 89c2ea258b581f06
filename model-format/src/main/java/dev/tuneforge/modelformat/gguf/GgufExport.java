package dev.tuneforge.modelformat.gguf;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.RopeScaling;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face model folder (Llama, Mistral, Qwen2, Qwen3 with a byte-level BPE tokenizer) as one
 * GGUF file that llama.cpp and Ollama load: llama.cpp's architecture names, metadata keys and
 * tensor names, the tokenizer and chat template in the metadata, weight matrices in F16 or Q8_0,
 * norms and biases in F32. For the {@code llama} architecture the q and k rows are permuted from
 * Hugging Face's rotary layout (halves) to ggml's (interleaved pairs), as llama.cpp's converter
 * does; Qwen keeps Hugging Face's layout (llama.cpp rotates it NeoX-style). Reads the weights once;
 * each {@link #write} writes one file.
 */
public final class GgufExport {

  private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
  private static final Map<String, String> LAYER_TENSORS =
      Map.ofEntries(
          Map.entry("input_layernorm", "attn_norm"),
          Map.entry("post_attention_layernorm", "ffn_norm"),
          Map.entry("self_attn.q_proj", "attn_q"),
          Map.entry("self_attn.k_proj", "attn_k"),
          Map.entry("self_attn.v_proj", "attn_v"),
          Map.entry("self_attn.o_proj", "attn_output"),
          Map.entry("self_attn.q_norm", "attn_q_norm"),
          Map.entry("self_attn.k_norm", "attn_k_norm"),
          Map.entry("mlp.gate_proj", "ffn_gate"),
          Map.entry("mlp.up_proj", "ffn_up"),
          Map.entry("mlp.down_proj", "ffn_down"));

  private final Path folder;
  private final ModelConfig config;
  private final String architecture;
  private final Map<String, Tensor> weights;

  private GgufExport(Path folder, ModelConfig config, Map<String, Tensor> weights) {
    this.folder = folder;
    this.config = config;
    this.architecture = architecture(config);
    this.weights = weights;
  }

  /**
   * Reads the folder's config and weights.
   *
   * @throws UnsupportedModelException for an architecture, tokenizer or weight GGUF export cannot
   *     take, saying which
   */
  public static GgufExport read(Path folder) throws IOException {
    ModelConfig config = ModelConfig.read(folder.resolve("config.json"));
    Map<String, Tensor> weights = SafeTensors.readFolder(folder);
    SortedMap<String, long[]> expected = config.tensorShapes();
    for (Map.Entry<String, long[]> tensor : expected.entrySet()) {
      Tensor found = weights.get(tensor.getKey());
      if (found == null || !Arrays.equals(found.shape(), tensor.getValue())) {
        throw new UnsupportedModelException(
            "the weights have "
                + (found == null ? "no " + tensor.getKey() : tensor.getKey() + " " + found)
                + " where config.json implies "
                + Arrays.toString(tensor.getValue()));
      }
    }
    weights.keySet().retainAll(expected.keySet());
    return new GgufExport(folder, config, weights);
  }

  /** llama.cpp's name for the architecture: llama (also Mistral's), qwen2 or qwen3. */
  static String architecture(ModelConfig config) {
    return switch (config.architecture()) {
      case "LlamaForCausalLM", "MistralForCausalLM" -> "llama";
      case "Qwen2ForCausalLM" -> "qwen2";
      case "Qwen3ForCausalLM" -> "qwen3";
      default ->
          throw new UnsupportedModelException(
              "GGUF export takes Llama, Mistral, Qwen2 and Qwen3 models, not "
                  + config.architecture());
    };
  }

  /**
   * Writes the GGUF file with every weight matrix in one type.
   *
   * @param type F16 or Q8_0 for the weight matrices (a matrix whose rows Q8_0 cannot block stays
   *     F16)
   * @param name {@code general.name}
   */
  public void write(Path file, GgufType type, String name) throws IOException {
    write(file, GgufFileType.of(type), name);
  }

  /**
   * Writes the GGUF file.
   *
   * @param fileType the weight matrices' types, chosen per tensor as llama.cpp's quantiser does
   * @param name {@code general.name}
   */
  public void write(Path file, GgufFileType fileType, String name) throws IOException {
    GgufWriter gguf = new GgufWriter();
    gguf.put("general.architecture", architecture);
    gguf.put("general.name", name);
    gguf.put("general.file_type", fileType.id());
    gguf.put("general.quantization_version", 2);
    String arch = architecture + ".";
    gguf.put(arch + "vocab_size", config.vocabSize());
    gguf.put(arch + "context_length", config.maxPositionEmbeddings());
    gguf.put(arch + "embedding_length", config.hiddenSize());
    gguf.put(arch + "block_count", config.numHiddenLayers());
    gguf.put(arch + "feed_forward_length", config.intermediateSize());
    gguf.put(arch + "attention.head_count", config.numAttentionHeads());
    gguf.put(arch + "attention.head_count_kv", config.numKeyValueHeads());
    gguf.put(arch + "attention.key_length", config.headDim());
    gguf.put(arch + "attention.value_length", config.headDim());
    gguf.put(arch + "rope.dimension_count", config.headDim());
    gguf.put(arch + "rope.freq_base", (float) config.ropeTheta());
    gguf.put(arch + "attention.layer_norm_rms_epsilon", (float) config.rmsNormEps());
    GgufVocabulary.put(gguf, folder, config.vocabSize(), preTokenizer());
    RopeScaling scaling = config.ropeScaling();
    if (scaling != null) {
      if (!architecture.equals("llama")) {
        throw new UnsupportedModelException(
            "config.json: rope_scaling on " + config.architecture() + " has no GGUF export yet");
      }
      gguf.addTensor(
          "rope_freqs.weight", new long[] {config.headDim() / 2}, ropeFactors(), GgufType.F32);
    }
    for (Map.Entry<String, Tensor> entry : new TreeMap<>(weights).entrySet()) {
      String ggufName = tensorName(entry.getKey());
      Tensor tensor = entry.getValue();
      float[] values = tensor.values();
      if (architecture.equals("llama")
          && ggufName.matches("blk\\.\\d+\\.attn_[qk]\\.(weight|bias)")) {
        int heads =
            ggufName.contains("attn_q") ? config.numAttentionHeads() : config.numKeyValueHeads();
        values = permuteRotaryRows(values, heads, config.headDim());
      }
      GgufType stored =
          fileType.tensorType(
              ggufName, tensor.shape(), config.numHiddenLayers(), config.tieWordEmbeddings());
      gguf.addTensor(ggufName, tensor.shape(), values, stored);
    }
    gguf.write(file);
  }

  /**
   * llama.cpp's tensor name for a Hugging Face one.
   *
   * @throws UnsupportedModelException for a tensor llama.cpp has no name for
   */
  static String tensorName(String huggingFace) {
    switch (huggingFace) {
      case "model.embed_tokens.weight" -> {
        return "token_embd.weight";
      }
      case "model.norm.weight" -> {
        return "output_norm.weight";
      }
      case "lm_head.weight" -> {
        return "output.weight";
      }
      default -> {}
    }
    Matcher layer = LAYER.matcher(huggingFace);
    if (layer.matches()) {
      String rest = layer.group(2);
      int dot = rest.lastIndexOf('.');
      String mapped = LAYER_TENSORS.get(rest.substring(0, dot));
      if (mapped != null) {
        return "blk." + layer.group(1) + "." + mapped + rest.substring(dot);
      }
    }
    throw new UnsupportedModelException("GGUF export has no llama.cpp name for " + huggingFace);
  }

  /**
   * Hugging Face rotates the two halves of each head; ggml's {@code llama} rotates adjacent pairs:
   * row {@code h·d + 2i + j} of the result is row {@code h·d + j·d/2 + i} of the input.
   */
  static float[] permuteRotaryRows(float[] values, int heads, int headDim) {
    int columns = values.length / (heads * headDim);
    float[] permuted = new float[values.length];
    int half = headDim / 2;
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < half; i++) {
        for (int j = 0; j < 2; j++) {
          int to = h * headDim + 2 * i + j;
          int from = h * headDim + j * half + i;
          System.arraycopy(values, from * columns, permuted, to * columns, columns);
        }
      }
    }
    return permuted;
  }

  /** What ggml divides each rotary frequency by: the unscaled frequency over the scaled one. */
  private float[] ropeFactors() {
    double[] plain = RopeScaling.defaultFrequencies(config.headDim(), config.ropeTheta());
    double[] scaled = config.inverseFrequencies();
    float[] factors = new float[plain.length];
    for (int i = 0; i < plain.length; i++) {
      factors[i] = (float) (plain[i] / scaled[i]);
    }
    return factors;
  }

  /**
   * llama.cpp's name for the pre-tokenizer: Qwen's splits digits one by one, Llama 3's in threes,
   * SmolLM2's (a Llama architecture) is GPT-2's.
   */
  private String preTokenizer() throws IOException {
    if (!architecture.equals("llama")) {
      return "qwen2";
    }
    String tokenizer = Files.readString(folder.resolve("tokenizer.json"));
    return tokenizer.contains("\\\\p{N}{1,3}") ? "llama-bpe" : "smollm";
  }
}
