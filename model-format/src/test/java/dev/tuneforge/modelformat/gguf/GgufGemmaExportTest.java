package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real-layout Gemma 3 (270M's config made narrow, 6 layers of which the last attends fully, its
 * real tokenizer) exported as GGUF: npm's {@code @huggingface/gguf} finds the tensors and keys
 * llama.cpp's gemma3 reads, named as llama.cpp's converter names them (four norms a layer, no
 * output matrix as the embeddings are tied); our reader finds the norms stored plus one and
 * SentencePiece's vocabulary with its scores and token types.
 */
class GgufGemmaExportTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int HIDDEN = 64;
  private static final int FEED_FORWARD = 96;
  private static final int LAYERS = 6;

  @TempDir Path dir;

  @Test
  void llamaCppsGemma3FindsEveryTensorAndKeyItExpects() throws Exception {
    Path tokenizer = GgufExportTest.requireReady(HubModel.GEMMA3_270M);
    Path folder =
        GgufExportTest.write(
            dir, HubModel.GEMMA3_270M, tokenizer, false, HIDDEN, FEED_FORWARD, LAYERS);
    Path file = dir.resolve("model-f16.gguf");
    GgufExport.read(folder).write(file, GgufFileType.F16, "tuned");

    JsonNode read = GgufExportTest.readWithHuggingFace(file).getFirst();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (JsonNode tensor : read.path("tensors")) {
      shapes.put(
          tensor.path("name").asString(), JSON.convertValue(tensor.path("shape"), long[].class));
    }
    Map<String, long[]> expected = expectedTensors();
    assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((name, shape) -> assertThat(shapes.get(name)).as(name).containsExactly(shape));

    JsonNode metadata = read.path("metadata");
    assertThat(metadata.path("general.architecture").asString()).isEqualTo("gemma3");
    assertThat(metadata.path("gemma3.block_count").asInt()).isEqualTo(LAYERS);
    assertThat(metadata.path("gemma3.embedding_length").asInt()).isEqualTo(HIDDEN);
    assertThat(metadata.path("gemma3.feed_forward_length").asInt()).isEqualTo(FEED_FORWARD);
    assertThat(metadata.path("gemma3.attention.head_count").asInt()).isEqualTo(4);
    assertThat(metadata.path("gemma3.attention.head_count_kv").asInt()).isEqualTo(2);
    assertThat(metadata.path("gemma3.attention.key_length").asInt()).isEqualTo(16);
    assertThat(metadata.path("gemma3.attention.sliding_window").asInt()).isEqualTo(512);
    assertThat(metadata.path("gemma3.rope.freq_base").asDouble()).isEqualTo(1_000_000);
    assertThat(metadata.path("gemma3.context_length").asInt()).isEqualTo(32768);
    assertThat(metadata.path("tokenizer.ggml.model").asString()).isEqualTo("llama");
    assertThat(metadata.path("tokenizer.ggml.tokens").path("length").asInt()).isEqualTo(262144);
    assertThat(metadata.path("tokenizer.ggml.scores").path("length").asInt()).isEqualTo(262144);
    assertThat(metadata.path("tokenizer.ggml.bos_token_id").asInt()).isEqualTo(2);
    assertThat(metadata.path("tokenizer.ggml.eos_token_id").asInt()).isEqualTo(106);
    assertThat(metadata.path("tokenizer.ggml.padding_token_id").asInt()).isEqualTo(0);
    assertThat(metadata.path("tokenizer.ggml.unknown_token_id").asInt()).isEqualTo(3);
    assertThat(metadata.path("tokenizer.ggml.add_bos_token").asBoolean()).isTrue();
    assertThat(metadata.path("tokenizer.ggml.add_space_prefix").asBoolean()).isFalse();
    assertThat(metadata.path("tokenizer.chat_template").asString())
        .isEqualTo(ChatTemplate.load(folder).source());

    GgufFile ours = GgufFile.read(file);
    assertVocabulary(ours);
    for (Map.Entry<String, Tensor> weight : SafeTensors.readFolder(folder).entrySet()) {
      String name = GgufExport.tensorName(weight.getKey(), true);
      if (name.endsWith("norm.weight")) {
        float[] hf = weight.getValue().values();
        float[] stored = ours.values(name);
        for (int i = 0; i < hf.length; i++) {
          assertThat(stored[i]).as("%s[%d]", name, i).isEqualTo(hf[i] + 1);
        }
      }
    }
  }

  /** Token types as llama.cpp's converter gives them; merged tokens score by their merge's rank. */
  private static void assertVocabulary(GgufFile file) {
    List<?> tokens = (List<?>) file.metadata().get("tokenizer.ggml.tokens");
    List<?> types = (List<?>) file.metadata().get("tokenizer.ggml.token_type");
    List<?> scores = (List<?>) file.metadata().get("tokenizer.ggml.scores");
    Map<String, Long> typeOf = new LinkedHashMap<>();
    Map<String, Double> scoreOf = new LinkedHashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      typeOf.put((String) tokens.get(i), (Long) types.get(i));
      scoreOf.put((String) tokens.get(i), (Double) scores.get(i));
    }
    assertThat(tokens.get(106)).isEqualTo("<end_of_turn>");
    assertThat(typeOf)
        .containsEntry("<bos>", 3L)
        .containsEntry("<start_of_turn>", 3L)
        .containsEntry("<unused0>", 3L)
        .containsEntry("<unk>", 2L)
        .containsEntry("<0x0A>", 6L)
        .containsEntry("▁the", 1L);
    // SentencePiece ranks a short common piece before a long rare one.
    assertThat(scoreOf.get("▁the")).isNegative().isGreaterThan(scoreOf.get("▁receipts"));
    assertThat(scoreOf.get("<start_of_turn>")).isEqualTo(-1000.0);
  }

  private static Map<String, long[]> expectedTensors() {
    Map<String, long[]> tensors = new LinkedHashMap<>();
    tensors.put("token_embd.weight", new long[] {HIDDEN, 262144});
    tensors.put("output_norm.weight", new long[] {HIDDEN});
    for (int layer = 0; layer < LAYERS; layer++) {
      String blk = "blk." + layer + ".";
      for (String norm : List.of("attn_norm", "post_attention_norm", "ffn_norm", "post_ffw_norm")) {
        tensors.put(blk + norm + ".weight", new long[] {HIDDEN});
      }
      tensors.put(blk + "attn_q_norm.weight", new long[] {16});
      tensors.put(blk + "attn_k_norm.weight", new long[] {16});
      tensors.put(blk + "attn_q.weight", new long[] {HIDDEN, 64});
      tensors.put(blk + "attn_k.weight", new long[] {HIDDEN, 32});
      tensors.put(blk + "attn_v.weight", new long[] {HIDDEN, 32});
      tensors.put(blk + "attn_output.weight", new long[] {64, HIDDEN});
      tensors.put(blk + "ffn_gate.weight", new long[] {HIDDEN, FEED_FORWARD});
      tensors.put(blk + "ffn_up.weight", new long[] {HIDDEN, FEED_FORWARD});
      tensors.put(blk + "ffn_down.weight", new long[] {FEED_FORWARD, HIDDEN});
    }
    return tensors;
  }
}
