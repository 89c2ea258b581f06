package dev.tuneforge.app.catalog;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny Llama in Hugging Face layout for import tests: the real file set (config, safetensors
 * weights of the exact shapes the config implies, a loadable word-level tokenizer, its config with
 * a chat template, the generation config), zero weights.
 */
public final class TinyModelFolder {
  public static final String CONFIG =
      """
      {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 16,
       "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
       "num_key_value_heads": 1, "vocab_size": 8, "max_position_embeddings": 256,
       "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false,
       "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"}
      """;
  static final String CHAT_TEMPLATE =
      "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' +"
          + " message['content'] + '<|im_end|>\\n' }}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  private static final String TOKENIZER =
      """
      {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [
        {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false,
         "normalized": false, "special": true},
        {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false,
         "normalized": false, "special": true},
        {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false,
         "normalized": false, "special": true}],
       "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null,
       "decoder": null,
       "model": {"type": "WordLevel", "unk_token": "<unk>", "vocab": {"<unk>": 0, "<s>": 1,
         "</s>": 2, "total": 3, "date": 4, "shop": 5, "{": 6, "}": 7}}}
      """;

  private TinyModelFolder() {}

  /** Writes the folder into {@code directory}; returns the number of weights it holds. */
  public static long write(Path directory) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("config.json"), CONFIG);
      Files.writeString(directory.resolve("tokenizer.json"), TOKENIZER);
      Files.writeString(
          directory.resolve("tokenizer_config.json"),
          "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"chat_template\": "
              + quoted(CHAT_TEMPLATE)
              + "}");
      Files.writeString(
          directory.resolve("generation_config.json"),
          "{\"bos_token_id\": 1, \"eos_token_id\": 2}");
      Map<String, Tensor> tensors = new TreeMap<>();
      long parameters = 0;
      for (Map.Entry<String, long[]> entry : ModelConfig.parse(CONFIG).tensorShapes().entrySet()) {
        long size = 1;
        for (long dimension : entry.getValue()) {
          size *= dimension;
        }
        tensors.put(entry.getKey(), new Tensor(entry.getValue(), new float[(int) size]));
        parameters += size;
      }
      SafeTensors.write(directory.resolve("model.safetensors"), tensors, Map.of());
      return parameters;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
