package dev.tuneforge.trainingnode.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelWriterTest {

  static {
    TestEngine.useOneThread();
  }

  @TempDir Path dir;

  @Test
  void writesAHuggingFaceDirectoryWhoseConfigAndWeightsAgree() throws IOException {
    DemoModelWriter.write(dir, 7);

    ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
    Map<String, long[]> shapes = SafeTensors.shapes(dir.resolve("model.safetensors"));

    assertThat(config.architectures()).containsExactly("LlamaForCausalLM");
    assertThat(config.hiddenSize()).isEqualTo(64);
    assertThat(config.numKeyValueHeads()).isEqualTo(2);
    assertThat(config.vocabSize()).isEqualTo(new DemoTokenizer().vocabSize());
    assertThat(shapes.get("model.embed_tokens.weight")).containsExactly(config.vocabSize(), 64);
    assertThat(shapes.get("model.layers.1.self_attn.k_proj.weight")).containsExactly(32, 64);
    assertThat(shapes.get("model.layers.0.mlp.down_proj.weight")).containsExactly(64, 172);
    assertThat(shapes)
        .containsKeys(
            "lm_head.weight",
            "model.norm.weight",
            "model.layers.1.post_attention_layernorm.weight");
    assertThat(shapes).hasSize(3 + 2 * 9);
    assertThat(Files.readString(dir.resolve("tokenizer_config.json")))
        .contains(
            "\"eos_token\" : \"<|im_end|>\"",
            "\"pad_token\" : \"<|endoftext|>\"",
            "\"bos_token\" : null",
            "chat_template");
    assertThat(dir.resolve("generation_config.json")).exists();
  }

  @Test
  void writesTheSameModelForTheSameSeed() throws IOException {
    DemoModelWriter.write(dir.resolve("a"), 3);
    DemoModelWriter.write(dir.resolve("b"), 3);

    assertThat(Files.readAllBytes(dir.resolve("a/model.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b/model.safetensors")));
  }

  @Test
  void tokenizerLoadsInDjlAndRoundTripsTextWithSpecialTokens() throws IOException {
    DemoModelWriter.write(dir, 1);
    DemoTokenizer demo = new DemoTokenizer();
    String text = "Grüße, 東京! naïve café — ünïcödé 🙂\n\ttabs and the rest";

    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(dir, Map.of("addSpecialTokens", "false"))) {
      long[] ids = tokenizer.encode(text, false, false).getIds();
      long[] chat = tokenizer.encode("<|im_start|>user\nhi<|im_end|>", false, false).getIds();

      assertThat(tokenizer.decode(ids, false)).isEqualTo(text);
      assertThat(java.util.Arrays.stream(ids).max().orElseThrow()).isLessThan(demo.vocabSize() - 3);
      assertThat(chat[0]).isEqualTo(demo.id("<|im_start|>"));
      assertThat(chat[chat.length - 1]).isEqualTo(demo.id("<|im_end|>"));
      assertThat(tokenizer.encode(" the", false, false).getIds()).hasSize(1);
    }
  }
}
