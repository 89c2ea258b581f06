package dev.tuneforge.modelformat.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Every broken input is refused with the file at fault and a reason a user can act on. */
class ModelRejectionTest {

  private static final String SINGLE = "model.safetensors";
  private static final String INDEX = "model.safetensors.index.json";

  @TempDir Path temp;

  private static AbstractThrowableAssert<?, ?> refused(Path folder, String file, String reason) {
    return assertThatThrownBy(() -> ModelInspector.inspect(ModelFolder.of(folder)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.reason()).contains(reason);
            });
  }

  @Test
  void theTinyModelAsWrittenIsValid() throws IOException {
    ModelDescription description = ModelInspector.inspect(ModelFolder.of(TinyModel.write(temp)));

    assertThat(description.eosTokenIds()).containsExactly(2, 0);
    assertThat(description.padTokenId()).isZero();
  }

  @Test
  void anUnsupportedArchitecture() throws IOException {
    Path folder = TinyModel.write(temp);
    TinyModel.replaceConfig(folder, c -> c.putArray("architectures").add("GPT2LMHeadModel"));

    refused(folder, "config.json", "unsupported architecture GPT2LMHeadModel");
  }

  @Test
  void noConfig() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.delete(folder.resolve("config.json"));

    refused(folder, "config.json", "missing");
  }

  @Test
  void aTensorTheConfigImpliesIsMissing() throws IOException {
    Path folder = TinyModel.write(temp);
    TinyModel.replaceConfig(folder, c -> c.put("num_hidden_layers", 3));

    refused(folder, SINGLE, "lacks 9 tensors that config.json implies for LlamaForCausalLM with 3")
        .hasMessageContaining("model.layers.2.input_layernorm.weight [16]")
        .hasMessageContaining("and 6 more");
  }

  @Test
  void aTensorTheConfigHasNoPlaceFor() throws IOException {
    Path folder = TinyModel.write(temp);
    TinyModel.replaceConfig(folder, c -> c.put("num_hidden_layers", 1));

    refused(
        folder, SINGLE, "holds model.layers.1.input_layernorm.weight, which a LlamaForCausalLM");
  }

  @Test
  void aShapeOtherThanTheConfigImplies() throws IOException {
    Path folder = TinyModel.write(temp);
    TinyModel.replaceConfig(folder, c -> c.put("intermediate_size", 48));

    refused(
        folder,
        SINGLE,
        "model.layers.0.mlp.down_proj.weight has shape [16, 32], config.json implies [16, 48]");
  }

  @Test
  void aDtypeTheTrainerCannotLoad() throws IOException {
    Path folder = TinyModel.write(temp);
    Headers.edit(
        folder.resolve(SINGLE),
        h -> ((ObjectNode) h.path("model.norm.weight")).put("dtype", "F64"));

    refused(
        folder, SINGLE, "tensor model.norm.weight has dtype F64; supported are F32, BF16 and F16");
  }

  @Test
  void dataOffsetsThatDoNotFitDtypeAndShape() throws IOException {
    Path folder = TinyModel.write(temp);
    Headers.edit(
        folder.resolve(SINGLE),
        h -> ((ObjectNode) h.path("model.norm.weight")).put("dtype", "BF16"));

    refused(folder, SINGLE, "tensor model.norm.weight has data_offsets")
        .hasMessageContaining("holding 64 bytes, but BF16 [16] needs 32");
  }

  @Test
  void aShapeWhoseSizeOverflows() throws IOException {
    Path folder = TinyModel.write(temp);
    Headers.edit(
        folder.resolve(SINGLE),
        h -> ((ObjectNode) h.path("model.norm.weight")).putArray("shape").add(1L << 62).add(4));

    refused(folder, SINGLE, "tensor model.norm.weight has a shape too large for any file");
  }

  @Test
  void tensorsThatOverlap() throws IOException {
    Path folder = TinyModel.write(temp);
    Headers.edit(
        folder.resolve(SINGLE),
        h -> {
          ArrayNode offsets = (ArrayNode) h.path("model.norm.weight").path("data_offsets");
          offsets.set(0, 0);
          offsets.set(1, 64);
        });

    refused(folder, SINGLE, "tensors must follow each other without gaps or overlaps");
  }

  @Test
  void aTruncatedFile() throws IOException {
    Path folder = TinyModel.write(temp);
    Headers.truncate(folder.resolve(SINGLE), 100);

    refused(folder, SINGLE, "truncated: its tensors need").hasMessageContaining("upload complete");
  }

  @Test
  void bytesNoTensorClaims() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.write(folder.resolve(SINGLE), new byte[12], java.nio.file.StandardOpenOption.APPEND);

    refused(folder, SINGLE, "12 bytes after the last tensor that no tensor claims");
  }

  @Test
  void aHeaderThatIsNotJson() throws IOException {
    Path folder = TinyModel.write(temp);
    byte[] bytes = Files.readAllBytes(folder.resolve(SINGLE));
    bytes[8] = '[';
    bytes[9] = '[';
    Files.write(folder.resolve(SINGLE), bytes);

    refused(folder, SINGLE, "its header is not JSON");
  }

  @Test
  void noWeightsAtAll() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.delete(folder.resolve(SINGLE));

    refused(folder, SINGLE, "missing, and there is no " + INDEX);
  }

  @Test
  void aSecondSafetensorsFileWithoutAnIndex() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.copy(folder.resolve(SINGLE), folder.resolve("model-old.safetensors"));

    refused(folder, "model-old.safetensors", "a second safetensors file beside model.safetensors");
  }

  @Test
  void aShardTheIndexNamesIsMissing() throws IOException {
    Path folder = TinyModel.writeSharded(temp);
    String first = TinyModel.shards(folder).getFirst();
    String second = TinyModel.shards(folder).get(1);
    Files.delete(folder.resolve(second));

    refused(folder, second, "named in " + INDEX + " but missing");
  }

  @Test
  void aShardTheIndexDoesNotList() throws IOException {
    Path folder = TinyModel.writeSharded(temp);
    String first = TinyModel.shards(folder).getFirst();
    String second = TinyModel.shards(folder).get(1);
    Files.copy(folder.resolve(second), folder.resolve("model-00099-of-00099.safetensors"));

    refused(
        folder,
        "model-00099-of-00099.safetensors",
        "a safetensors file that " + INDEX + " does not list");
  }

  @Test
  void aTensorInAShardTheIndexPutsElsewhere() throws IOException {
    Path folder = TinyModel.writeSharded(temp);
    String first = TinyModel.shards(folder).getFirst();
    String second = TinyModel.shards(folder).get(1);
    String tensor = "model.norm.weight";
    ObjectNode index =
        (ObjectNode) TinyModel.JSON.readTree(Files.readString(folder.resolve(INDEX)));
    String actual = index.path("weight_map").path(tensor).asString();
    String other = actual.equals(first) ? second : first;
    ((ObjectNode) index.path("weight_map")).put(tensor, other);
    Files.writeString(folder.resolve(INDEX), TinyModel.JSON.writeValueAsString(index));

    refused(folder, actual, "holds " + tensor + ", which " + INDEX + " puts in " + other);
  }

  @Test
  void aTensorTheIndexListsIsNotInItsShard() throws IOException {
    Path folder = TinyModel.writeSharded(temp);
    String first = TinyModel.shards(folder).getFirst();
    String second = TinyModel.shards(folder).get(1);
    ObjectNode index =
        (ObjectNode) TinyModel.JSON.readTree(Files.readString(folder.resolve(INDEX)));
    ((ObjectNode) index.path("weight_map")).put("model.layers.9.mlp.up_proj.weight", first);
    Files.writeString(folder.resolve(INDEX), TinyModel.JSON.writeValueAsString(index));

    refused(
        folder, first, "lacks model.layers.9.mlp.up_proj.weight, which " + INDEX + " puts there");
  }

  @Test
  void aTruncatedShard() throws IOException {
    Path folder = TinyModel.writeSharded(temp);
    String first = TinyModel.shards(folder).getFirst();
    String second = TinyModel.shards(folder).get(1);
    Headers.truncate(folder.resolve(second), 1);

    refused(folder, second, "truncated");
  }

  @Test
  void anIndexThatPointsOutsideTheFolder() throws IOException {
    Path folder = TinyModel.writeSharded(temp);
    ObjectNode index =
        (ObjectNode) TinyModel.JSON.readTree(Files.readString(folder.resolve(INDEX)));
    ((ObjectNode) index.path("weight_map")).put("model.norm.weight", "../other/model.safetensors");
    Files.writeString(folder.resolve(INDEX), TinyModel.JSON.writeValueAsString(index));

    refused(folder, INDEX, "which is not a safetensors file beside it");
  }

  @Test
  void anUntiedModelWithoutItsOutputProjection() throws IOException {
    Path folder =
        TinyModel.writer(TinyModel.config(c -> c.put("tie_word_embeddings", true)))
            .build()
            .write(temp);
    TinyModel.replaceConfig(folder, c -> c.put("tie_word_embeddings", false));

    refused(
        folder, SINGLE, "lacks lm_head.weight [64, 16]: config.json has tie_word_embeddings false");
  }

  @Test
  void aTiedModelMayStoreItsOutputProjectionAndCountsItOnce() throws IOException {
    Path folder = TinyModel.write(temp);
    long untied = ModelInspector.inspect(ModelFolder.of(folder)).parameters();
    TinyModel.replaceConfig(folder, c -> c.put("tie_word_embeddings", true));

    assertThat(ModelInspector.inspect(ModelFolder.of(folder)).parameters())
        .isEqualTo(untied - 64 * 16);
  }

  @Test
  void noTokenizer() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.delete(folder.resolve("tokenizer.json"));

    refused(folder, "tokenizer.json", "missing; the model needs its tokenizer");
  }

  @Test
  void aTokenizerThatDoesNotLoad() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(folder.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Nonsense\"}}");

    refused(folder, "tokenizer.json", "the tokenizers library cannot load it");
  }

  @Test
  void noChatTemplateAndNoFamilyChosen() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");

    refused(folder, "tokenizer_config.json", "has no chat_template")
        .hasMessageContaining(
            "choose one of the known families for this model: chatml, llama3, gemma");
  }

  @Test
  void aChatTemplateThatCannotRenderAConversation() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(
        folder.resolve("chat_template.jinja"),
        "{% for m in messages %}{% if m['role'] == 'system' %}"
            + "{{ raise_exception('System role not supported') }}{% endif %}{% endfor %}");

    refused(folder, "chat_template.jinja", "cannot render a system, user and assistant message")
        .hasMessageContaining("System role not supported");
  }

  @Test
  void aChosenFamilyStandsInForATemplateThatCannotRender() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(folder.resolve("chat_template.jinja"), "{{ raise_exception('no') }}");

    assertThat(
            ModelInspector.inspect(
                    ModelFolder.of(folder), new InspectOptions(ChatTemplateFamily.LLAMA3))
                .chatTemplate())
        .isEqualTo(ChatTemplateFamily.LLAMA3.template());
  }

  @Test
  void noEosIdAnywhere() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(folder.resolve("generation_config.json"), "{}");
    TinyModel.replaceConfig(folder, c -> c.remove("eos_token_id"));
    Files.writeString(
        folder.resolve("tokenizer_config.json"),
        TinyModel.tokenizerConfig().replace("\"eos_token\":\"<|im_end|>\",", ""));

    refused(folder, "generation_config.json", "names no eos_token_id")
        .hasMessageContaining("generation would never stop");
  }

  @Test
  void anEosIdOutsideTheVocabulary() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(folder.resolve("generation_config.json"), "{\"eos_token_id\": [2, 151645]}");

    refused(
        folder,
        "generation_config.json",
        "eos_token_id 151645 is outside the model's vocabulary (vocab_size 64)");
  }

  @Test
  void anEosIdThatIsNeitherAnIntegerNorAList() throws IOException {
    Path folder = TinyModel.write(temp);
    Files.writeString(folder.resolve("generation_config.json"), "{\"eos_token_id\": \"2\"}");

    refused(
        folder, "generation_config.json", "eos_token_id must be an integer or a list of integers");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../config.json",
        "tokenizer/../../etc/passwd",
        "/etc/passwd",
        "weights\\model.safetensors",
        "weights//model.safetensors",
        "weights/",
        "./config.json",
        "C:model.safetensors",
        ""
      })
  void aFileNameThatLeavesTheFolder(String name) throws IOException {
    ModelFolder withName = new ObservedFolder(TinyModel.write(temp), Map.of(name, 10L));

    assertThatThrownBy(() -> ModelInspector.inspect(withName))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.file()).isEqualTo(name);
              assertThat(e.reason()).containsAnyOf("file name", "leaves the model folder");
            });
  }
}
