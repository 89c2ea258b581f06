package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Modelfile's TEMPLATE, rendered as Ollama renders it (Go's text/template over the system
 * prompt and the collated messages, {@link GoTemplate}), equals the model's Jinja chat template
 * rendered by npm's {@code @huggingface/jinja} (as transformers renders it) with the generation
 * prompt, less the BOS token that llama.cpp adds when it tokenizes. For Qwen3, Llama 3.1 (real
 * tokenizer configs), Qwen2.5 and SmolLM2 (their default system prompts), and the platform's
 * ChatML.
 */
class OllamaModelfileTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FOLDER = "/dev/tuneforge/modelformat/folder/templates/";
  private static final Path RENDERER = RealTokenizers.cache().resolve("huggingface-jinja");

  private static final List<List<Map<String, String>>> CONVERSATIONS =
      List.of(
          List.of(message("user", "Extract the total from: TOTAL 12.50")),
          List.of(
              message("system", "You extract receipt fields as JSON."),
              message("user", "Extract the total from: TOTAL 12.50")),
          List.of(
              message("system", "You extract receipt fields as JSON."),
              message("user", "First receipt: TOTAL 3.00"),
              message("assistant", "{\"total\": \"3.00\"}"),
              message("user", "Second receipt: TOTAL 12.50")),
          List.of(
              message("user", "Hello"),
              message("assistant", "Hi! How can I help?"),
              message("user", "Say \"ok\" in Chinese: 好")));

  @Test
  void theTemplateRendersConversationsAsTheJinjaTemplateDoes() throws Exception {
    boolean ready =
        Files.isRegularFile(RENDERER.resolve("dist/index.js"))
            && RealTokenizers.QWEN3.find().isPresent()
            && RealTokenizers.LLAMA3.find().isPresent();
    if (!ready && RealTokenizers.required()) {
      throw new IllegalStateException("run bin/fetch-tokenizers (./test.sh does)");
    }
    assumeTrue(ready, "needs node and bin/fetch-tokenizers");
    Map<String, ChatTemplate> templates = new LinkedHashMap<>();
    templates.put("qwen3", ChatTemplate.load(RealTokenizers.QWEN3.require()));
    templates.put("llama3", ChatTemplate.load(RealTokenizers.LLAMA3.require()));
    templates.put(
        "llama3.1 with dates",
        new ChatTemplate(
            resource("/dev/tuneforge/modelformat/gguf/llama3_1_dated.jinja"),
            "<|begin_of_text|>",
            "<|eot_id|>"));
    templates.put(
        "qwen2.5", new ChatTemplate(resource(FOLDER + "qwen2_5.jinja"), "", "<|im_end|>"));
    templates.put(
        "smollm2",
        new ChatTemplate(resource(FOLDER + "smollm2.jinja"), "<|im_start|>", "<|im_end|>"));
    templates.put("chatml", ChatTemplate.chatMl());

    List<Map<String, Object>> cases = new ArrayList<>();
    List<String> rendered = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (Map.Entry<String, ChatTemplate> entry : templates.entrySet()) {
      ChatTemplate template = entry.getValue();
      String go = OllamaModelfile.goTemplate(template);
      assertThat(go).as(entry.getKey()).isNotNull();
      for (List<Map<String, String>> conversation : CONVERSATIONS) {
        cases.add(
            Map.of(
                "template",
                template.source(),
                "context",
                Map.of(
                    "messages",
                    conversation,
                    "bos_token",
                    template.bosToken(),
                    "eos_token",
                    template.eosToken(),
                    "add_generation_prompt",
                    true)));
        String bos = OllamaModelfile.emitsBos(template) ? template.bosToken() : "";
        rendered.add(bos + new GoTemplate(go).render(ollamaData(conversation)));
        labels.add(entry.getKey() + " " + conversation.size() + " messages");
      }
    }
    List<JsonNode> reference = reference(cases);
    for (int i = 0; i < cases.size(); i++) {
      assertThat(reference.get(i).has("output")).as(labels.get(i)).isTrue();
      assertThat(rendered.get(i))
          .as(labels.get(i))
          .isEqualTo(reference.get(i).path("output").asString());
    }
    // The default system prompts of Qwen2.5 and SmolLM2 come with them.
    assertThat(OllamaModelfile.goTemplate(templates.get("qwen2.5")))
        .contains("You are Qwen, created by Alibaba Cloud.");
    assertThat(OllamaModelfile.goTemplate(templates.get("llama3.1 with dates")))
        .contains("Cutting Knowledge Date: December 2023");
  }

  @Test
  void theModelfileNamesItsGgufTemplateAndStopTokens() throws IOException {
    assumeTrue(RealTokenizers.LLAMA3.find().isPresent(), "needs bin/fetch-tokenizers");
    String modelfile =
        OllamaModelfile.of("model-q8_0.gguf", ChatTemplate.load(RealTokenizers.LLAMA3.require()));
    assertThat(modelfile)
        .startsWith("FROM ./model-q8_0.gguf\nTEMPLATE \"\"\"")
        .contains("<|start_header_id|>{{ .Role }}<|end_header_id|>")
        .doesNotContain("<|begin_of_text|>")
        .endsWith("\"\"\"\nPARAMETER stop \"<|eot_id|>\"\n");
    assertThat(OllamaModelfile.of("m.gguf", ChatTemplate.chatMl()))
        .contains("PARAMETER stop \"<|im_end|>\"\n");
  }

  @Test
  void aTemplateOfAnotherFamilyIsLeftToTheGgufMetadata() {
    String gemma =
        "{{ bos_token }}{% for message in messages %}<start_of_turn>{{ message['role'] }}\n"
            + "{{ message['content'] }}<end_of_turn>\n{% endfor %}";
    String modelfile = OllamaModelfile.of("m.gguf", new ChatTemplate(gemma, "<bos>", "<eos>"));
    assertThat(modelfile).startsWith("FROM ./m.gguf\n").doesNotContain("TEMPLATE");
  }

  /** What Ollama passes a template: the system prompts joined, and the collated messages. */
  private static Map<String, Object> ollamaData(List<Map<String, String>> messages) {
    List<String> system = new ArrayList<>();
    List<Map<String, String>> collated = new ArrayList<>();
    for (Map<String, String> message : messages) {
      if (message.get("role").equals("system")) {
        system.add(message.get("content"));
      }
      Map<String, String> last = collated.isEmpty() ? null : collated.getLast();
      if (last != null && last.get("role").equals(message.get("role"))) {
        collated.set(
            collated.size() - 1,
            message(last.get("role"), last.get("content") + "\n\n" + message.get("content")));
      } else {
        collated.add(message);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("System", String.join("\n\n", system));
    data.put("Messages", collated);
    return data;
  }

  private static Map<String, String> message(String role, String content) {
    Map<String, String> message = new LinkedHashMap<>();
    message.put("role", role);
    message.put("content", content);
    message.put("Role", role);
    message.put("Content", content);
    return message;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OllamaModelfileTest.class.getResourceAsStream(name)) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<JsonNode> reference(List<Map<String, Object>> cases) throws Exception {
    Path script =
        GgufExportTest.inRepository("model-format/src/test/node/render-chat-templates.mjs");
    Process node =
        new ProcessBuilder("node", script.toString(), RENDERER.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (OutputStream stdin = node.getOutputStream()) {
      stdin.write(JSON.writeValueAsBytes(cases));
    }
    byte[] output = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as("node's exit status").isZero();
    List<JsonNode> results = new ArrayList<>();
    JSON.readTree(output).forEach(results::add);
    return results;
  }
}
