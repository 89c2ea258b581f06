package dev.tuneforge.modelformat.folder;

import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny Llama-layout model with a small word-level tokenizer, ChatML and two eos ids: valid as
 * written, so that each test breaks exactly one thing.
 */
final class TinyModel {

  static final JsonMapper JSON = JsonMapper.builder().build();

  static final String CONFIG =
      """
      {
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": 16,
        "intermediate_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "vocab_size": 64,
        "max_position_embeddings": 256,
        "rms_norm_eps": 1e-05,
        "tie_word_embeddings": false,
        "eos_token_id": 2
      }
      """;

  static final String GENERATION_CONFIG = "{\"eos_token_id\": [2, 0], \"pad_token_id\": 0}";

  private TinyModel() {}

  static String tokenizerJson() {
    try (InputStream in = TinyModel.class.getResourceAsStream("tiny-tokenizer.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String tokenizerConfig() {
    ObjectNode config = JSON.createObjectNode();
    config.put("eos_token", "<|im_end|>");
    config.put("pad_token", "<|endoftext|>");
    config.put("chat_template", ChatTemplate.CHATML);
    return JSON.writeValueAsString(config);
  }

  static String config(Consumer<ObjectNode> change) {
    ObjectNode config = (ObjectNode) JSON.readTree(CONFIG);
    change.accept(config);
    return JSON.writeValueAsString(config);
  }

  /** The tiny model's writer, for tests that write it differently. */
  static ModelFolderWriter.Builder writer(String config) {
    return ModelFolderWriter.builder()
        .setConfig(config)
        .optFile("tokenizer.json", tokenizerJson())
        .optFile("tokenizer_config.json", tokenizerConfig())
        .optFile("generation_config.json", GENERATION_CONFIG);
  }

  static Path write(Path directory) throws IOException {
    return writer(CONFIG).build().write(directory);
  }

  /** Writes the tiny model in shards of about a layer each. */
  static Path writeSharded(Path directory) throws IOException {
    return writer(CONFIG).optShardAbove(8 * 1024).build().write(directory);
  }

  /** The shard files the index names, in order. */
  static List<String> shards(Path folder) throws IOException {
    TreeSet<String> shards = new TreeSet<>();
    JSON.readTree(Files.readString(folder.resolve("model.safetensors.index.json")))
        .path("weight_map")
        .forEach(shard -> shards.add(shard.asString()));
    return List.copyOf(shards);
  }

  static void replaceConfig(Path folder, Consumer<ObjectNode> change) throws IOException {
    Files.writeString(folder.resolve("config.json"), config(change));
  }
}
