package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real-layout Llama 3.2, Qwen2.5 and Qwen3 folders (their hub configs made narrow, their real
 * tokenizers) exported as F16 and Q8_0 GGUF, and read back twice: by npm's
 * {@code @huggingface/gguf} (fetched by bin/fetch-gguf-reader; node runs
 * src/test/node/read-gguf.mjs), which must find every tensor under llama.cpp's name with the shape
 * and type llama.cpp expects for the architecture and the metadata llama.cpp reads; and by our
 * reader, whose values must be the Hugging Face weights (q/k rows permuted for llama) in F16, or
 * within Q8_0's half step.
 */
class GgufExportTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path READER = RealTokenizers.cache().resolve("huggingface-gguf");
  private static final int HIDDEN = 64;
  private static final int FEED_FORWARD = 96;
  private static final int HEADS = 4;
  private static final int KV_HEADS = 2;
  private static final int HEAD_DIM = 16;
  private static final int LAYERS = 2;

  @TempDir Path dir;

  enum Exported {
    LLAMA(HubModel.LLAMA3_2_1B, "llama", "llama-bpe"),
    QWEN2(HubModel.QWEN2_5_0_5B, "qwen2", "qwen2"),
    QWEN3(HubModel.QWEN3_0_6B, "qwen3", "qwen2");

    final HubModel model;
    final String arch;
    final String pre;

    Exported(HubModel model, String arch, String pre) {
      this.model = model;
      this.arch = arch;
      this.pre = pre;
    }
  }

  @ParameterizedTest
  @EnumSource(Exported.class)
  void llamaCppFindsEveryTensorAndKeyItExpects(Exported exported) throws Exception {
    Path tokenizer = requireReady(exported.model);
    // Llama's lm_head untied here, so that output.weight is exported too.
    Path folder = write(exported.model, tokenizer, exported == Exported.LLAMA);
    GgufExport export = GgufExport.read(folder);
    Path f16 = dir.resolve("model-f16.gguf");
    Path q8 = dir.resolve("model-q8_0.gguf");
    export.write(f16, GgufType.F16, "tuned");
    export.write(q8, GgufType.Q8_0, "tuned");

    List<JsonNode> read = readWithHuggingFace(f16, q8);
    Map<String, long[]> expectedShapes = expectedTensors(exported);
    JsonNode config = JSON.readTree(Files.readString(folder.resolve("config.json")));
    int vocab = config.path("vocab_size").asInt();
    for (int file = 0; file < 2; file++) {
      int matrixType = file == 0 ? 1 : 8;
      JsonNode found = read.get(file);
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (JsonNode tensor : found.path("tensors")) {
        long[] shape = JSON.convertValue(tensor.path("shape"), long[].class);
        shapes.put(tensor.path("name").asString(), shape);
        assertThat(tensor.path("dtype").asInt())
            .as(tensor.path("name").asString())
            .isEqualTo(shape.length == 1 ? 0 : matrixType);
      }
      assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(expectedShapes.keySet());
      expectedShapes.forEach(
          (name, shape) -> assertThat(shapes.get(name)).as(name).containsExactly(shape));

      JsonNode metadata = found.path("metadata");
      String arch = exported.arch + ".";
      assertThat(metadata.path("general.architecture").asString()).isEqualTo(exported.arch);
      assertThat(metadata.path("general.file_type").asInt()).isEqualTo(file == 0 ? 1 : 7);
      assertThat(metadata.path(arch + "context_length").asInt())
          .isEqualTo(config.path("max_position_embeddings").asInt());
      assertThat(metadata.path(arch + "embedding_length").asInt()).isEqualTo(HIDDEN);
      assertThat(metadata.path(arch + "block_count").asInt()).isEqualTo(LAYERS);
      assertThat(metadata.path(arch + "feed_forward_length").asInt()).isEqualTo(FEED_FORWARD);
      assertThat(metadata.path(arch + "attention.head_count").asInt()).isEqualTo(HEADS);
      assertThat(metadata.path(arch + "attention.head_count_kv").asInt()).isEqualTo(KV_HEADS);
      assertThat(metadata.path(arch + "rope.freq_base").asDouble())
          .isEqualTo(config.path("rope_theta").asDouble());
      assertThat(metadata.path(arch + "attention.layer_norm_rms_epsilon").asDouble())
          .isCloseTo(config.path("rms_norm_eps").asDouble(), Offset.offset(1e-9));
      assertThat(metadata.path("tokenizer.ggml.model").asString()).isEqualTo("gpt2");
      assertThat(metadata.path("tokenizer.ggml.pre").asString()).isEqualTo(exported.pre);
      assertThat(metadata.path("tokenizer.ggml.tokens").path("length").asInt()).isEqualTo(vocab);
      assertThat(metadata.path("tokenizer.ggml.token_type").path("length").asInt())
          .isEqualTo(vocab);
      assertThat(metadata.path("tokenizer.ggml.merges").path("length").asInt())
          .isGreaterThan(100_000);
      assertThat(metadata.path("tokenizer.chat_template").asString())
          .isEqualTo(ChatTemplate.load(folder).source());
      assertSpecialTokens(exported, metadata);
    }
    assertValues(exported, folder, f16, q8);
  }

  private static void assertSpecialTokens(Exported exported, JsonNode metadata) {
    if (exported == Exported.LLAMA) {
      assertThat(metadata.path("tokenizer.ggml.bos_token_id").asInt()).isEqualTo(128000);
      assertThat(metadata.path("tokenizer.ggml.eos_token_id").asInt()).isEqualTo(128009);
      assertThat(metadata.path("tokenizer.ggml.add_bos_token").asBoolean()).isTrue();
    } else {
      assertThat(metadata.has("tokenizer.ggml.bos_token_id")).isFalse();
      assertThat(metadata.path("tokenizer.ggml.eos_token_id").asInt()).isEqualTo(151645);
      assertThat(metadata.path("tokenizer.ggml.padding_token_id").asInt()).isEqualTo(151643);
      assertThat(metadata.path("tokenizer.ggml.add_bos_token").asBoolean()).isFalse();
    }
  }

  /** Our reader: F16 values are the weights rounded to f16, Q8_0 within half a step. */
  private void assertValues(Exported exported, Path folder, Path f16, Path q8) throws IOException {
    Map<String, Tensor> weights = SafeTensors.readFolder(folder);
    GgufFile half = GgufFile.read(f16);
    GgufFile quantised = GgufFile.read(q8);
    for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
      String name = GgufExport.tensorName(weight.getKey());
      float[] expected = weight.getValue().values();
      if (exported == Exported.LLAMA && name.matches("blk\\.\\d+\\.attn_[qk]\\.weight")) {
        expected =
            GgufExport.permuteRotaryRows(
                expected, name.contains("attn_q") ? HEADS : KV_HEADS, HEAD_DIM);
      }
      boolean matrix = weight.getValue().shape().length == 2;
      float[] fromF16 = half.values(name);
      float[] fromQ8 = quantised.values(name);
      // Plain loops with one assertion per tensor: millions of values.
      int wrongF16 = -1;
      int wrongQ8 = -1;
      for (int i = 0; i < expected.length && wrongF16 < 0; i++) {
        float rounded =
            matrix ? Float.float16ToFloat(Float.floatToFloat16(expected[i])) : expected[i];
        wrongF16 = fromF16[i] == rounded ? -1 : i;
      }
      for (int block = 0; matrix && block < expected.length && wrongQ8 < 0; block += 32) {
        float max = 0;
        for (int i = block; i < block + 32; i++) {
          max = Math.max(max, Math.abs(expected[i]));
        }
        for (int i = block; i < block + 32 && wrongQ8 < 0; i++) {
          wrongQ8 = Math.abs(fromQ8[i] - expected[i]) <= max / 127.0 * (0.5 + 1e-3) ? -1 : i;
        }
      }
      assertThat(wrongF16).as("%s: first value F16 does not hold", name).isEqualTo(-1);
      assertThat(wrongQ8).as("%s: first value beyond Q8_0's half step", name).isEqualTo(-1);
    }
  }

  @Test
  void aGemmaThatLlamaCppWouldRunOtherwiseIsRefusedNamingWhy() throws Exception {
    Path tokenizer = requireReady(HubModel.GEMMA3_270M);
    Path folder = write(HubModel.GEMMA3_270M, tokenizer, false);
    Path config = folder.resolve("config.json");
    ObjectNode scaled = (ObjectNode) JSON.readTree(Files.readString(config));
    Files.writeString(config, JSON.writeValueAsString(scaled.put("query_pre_attn_scalar", 256)));
    assertThatThrownBy(
            () -> GgufExport.read(folder).write(dir.resolve("m.gguf"), GgufType.F16, "m"))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("query_pre_attn_scalar");
    assertThat(dir.resolve("m.gguf")).doesNotExist();
  }

  /** llama.cpp's tensors for the architecture, ggml's dims (innermost first). */
  private static Map<String, long[]> expectedTensors(Exported exported) {
    Map<String, long[]> tensors = new LinkedHashMap<>();
    long vocab = exported == Exported.LLAMA ? 128256 : 151936;
    tensors.put("token_embd.weight", new long[] {HIDDEN, vocab});
    tensors.put("output_norm.weight", new long[] {HIDDEN});
    if (exported == Exported.LLAMA) {
      tensors.put("output.weight", new long[] {HIDDEN, vocab});
      tensors.put("rope_freqs.weight", new long[] {HEAD_DIM / 2});
    }
    for (int layer = 0; layer < LAYERS; layer++) {
      String blk = "blk." + layer + ".";
      tensors.put(blk + "attn_norm.weight", new long[] {HIDDEN});
      tensors.put(blk + "ffn_norm.weight", new long[] {HIDDEN});
      tensors.put(blk + "attn_q.weight", new long[] {HIDDEN, HEADS * HEAD_DIM});
      tensors.put(blk + "attn_k.weight", new long[] {HIDDEN, KV_HEADS * HEAD_DIM});
      tensors.put(blk + "attn_v.weight", new long[] {HIDDEN, KV_HEADS * HEAD_DIM});
      tensors.put(blk + "attn_output.weight", new long[] {HEADS * HEAD_DIM, HIDDEN});
      tensors.put(blk + "ffn_gate.weight", new long[] {HIDDEN, FEED_FORWARD});
      tensors.put(blk + "ffn_up.weight", new long[] {HIDDEN, FEED_FORWARD});
      tensors.put(blk + "ffn_down.weight", new long[] {FEED_FORWARD, HIDDEN});
      if (exported == Exported.QWEN2) {
        tensors.put(blk + "attn_q.bias", new long[] {HEADS * HEAD_DIM});
        tensors.put(blk + "attn_k.bias", new long[] {KV_HEADS * HEAD_DIM});
        tensors.put(blk + "attn_v.bias", new long[] {KV_HEADS * HEAD_DIM});
      }
      if (exported == Exported.QWEN3) {
        tensors.put(blk + "attn_q_norm.weight", new long[] {HEAD_DIM});
        tensors.put(blk + "attn_k_norm.weight", new long[] {HEAD_DIM});
      }
    }
    return tensors;
  }

  /** The hub model's config made narrow (depth 2), with its real tokenizer files. */
  private Path write(HubModel model, Path tokenizer, boolean untie) throws IOException {
    return write(dir, model, tokenizer, untie, HIDDEN, FEED_FORWARD, LAYERS);
  }

  /** The hub model's config with these widths and depth, and its real tokenizer files. */
  static Path write(
      Path dir,
      HubModel model,
      Path tokenizer,
      boolean untie,
      int hidden,
      int feedForward,
      int layers)
      throws IOException {
    ObjectNode config = (ObjectNode) JSON.readTree(model.configJson());
    config.put("hidden_size", hidden);
    config.put("intermediate_size", feedForward);
    config.put("num_attention_heads", HEADS);
    config.put("num_key_value_heads", KV_HEADS);
    config.put("head_dim", HEAD_DIM);
    if (untie) {
      config.put("tie_word_embeddings", false);
    }
    if (config.has("query_pre_attn_scalar")) {
      // Gemma scales attention by it: head_dim^-0.5 in the hub model, so in the narrow one too.
      config.put("query_pre_attn_scalar", HEAD_DIM);
    }
    return ModelFolderWriter.builder()
        .setConfig(JSON.writeValueAsString(config))
        .optLayers(layers)
        .optFilesFrom(tokenizer)
        .build()
        .write(dir.resolve(model.name()));
  }

  static Path requireReady(HubModel model) {
    RealTokenizers tokenizer = model.tokenizer().orElseThrow();
    boolean ready =
        tokenizer.find().isPresent()
            && Files.isRegularFile(READER.resolve("node_modules/@huggingface/gguf/dist/index.mjs"));
    if (!ready && RealTokenizers.required()) {
      throw new IllegalStateException(
          "the real tokenizers and @huggingface/gguf in "
              + RealTokenizers.cache()
              + " are needed; run bin/fetch-tokenizers and bin/fetch-gguf-reader (./test.sh does)");
    }
    assumeTrue(ready, "needs bin/fetch-tokenizers and bin/fetch-gguf-reader");
    return tokenizer.require();
  }

  static List<JsonNode> readWithHuggingFace(Path... files) throws Exception {
    List<String> arguments = new ArrayList<>();
    arguments.add(READER.toString());
    for (Path file : files) {
      arguments.add(file.toString());
    }
    return runNode("read-gguf.mjs", arguments);
  }

  /**
   * {@code relative}, a path from the repository's root, found from the working directory up: the
   * tests run from the module's folder under Maven and from the root in an IDE.
   */
  static Path inRepository(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "No " + relative + " in " + Path.of("").toAbsolutePath() + " or a folder above it");
  }

  /** Runs one of src/test/node's scripts; returns the elements of the JSON array it prints. */
  static List<JsonNode> runNode(String script, List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(inRepository("model-format/src/test/node/" + script).toString());
    command.addAll(arguments);
    Process node =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] output = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as("node's exit status").isZero();
    List<JsonNode> results = new ArrayList<>();
    JSON.readTree(output).forEach(results::add);
    return results;
  }
}
