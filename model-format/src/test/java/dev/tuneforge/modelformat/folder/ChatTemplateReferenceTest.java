package dev.tuneforge.modelformat.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real models' chat templates render byte for byte as transformers renders them. The reference is
 * npm's {@code @huggingface/jinja} (Hugging Face's renderer of chat templates in JavaScript), run
 * by node on src/test/node/render-chat-templates.mjs; bin/fetch-tokenizers brings it and the Qwen3,
 * Llama 3.1 and Gemma 3 tokenizer configs into the tokenizer cache ({@link RealTokenizers}).
 * Qwen2.5's and SmolLM2's templates are test resources. Without node or the cache the test skips,
 * and under CI=true fails.
 */
class ChatTemplateReferenceTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Where bin/fetch-tokenizers puts the @huggingface/jinja package. */
  private static final Path RENDERER = RealTokenizers.cache().resolve("huggingface-jinja");

  /** A template with its special tokens, as tokenizer_config.json gives them. */
  private record Family(String name, String template, String bos, String eos) {}

  /** One render: the template, the conversation and apply_chat_template's arguments. */
  private record Case(
      Family family,
      String conversation,
      List<Map<String, Object>> messages,
      boolean addGenerationPrompt,
      Map<String, Object> variables) {

    Map<String, Object> context() {
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("bos_token", family.bos());
      context.put("eos_token", family.eos());
      context.putAll(variables);
      context.put("messages", messages);
      context.put("add_generation_prompt", addGenerationPrompt);
      return context;
    }

    @Override
    public String toString() {
      return family.name() + ", " + conversation + ", add_generation_prompt=" + addGenerationPrompt;
    }
  }

  @Test
  void realTemplatesRenderAsTransformersRendersThem() throws Exception {
    boolean ready =
        Files.isRegularFile(RENDERER.resolve("dist/index.js"))
            && Arrays.stream(RealTokenizers.values()).allMatch(t -> t.find().isPresent())
            && nodeRuns();
    if (!ready && RealTokenizers.required()) {
      throw new IllegalStateException(
          "node, the reference renderer and the real tokenizers in "
              + RealTokenizers.cache()
              + " are needed; run bin/fetch-tokenizers (./test.sh does)");
    }
    assumeTrue(ready, "needs node and bin/fetch-tokenizers");
    List<Case> cases = cases();
    List<JsonNode> expected = reference(cases);
    int compared = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      ChatTemplate template =
          new ChatTemplate(c.family().template(), c.family().bos(), c.family().eos());
      JsonNode reference = expected.get(i);
      if (reference.has("error")) {
        assertThatThrownBy(
                () -> template.render(c.messages(), c.addGenerationPrompt(), c.variables()))
            .as(c.toString())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(reference.path("error").asString());
      } else {
        assertThat(template.render(c.messages(), c.addGenerationPrompt(), c.variables()))
            .as(c.toString())
            .isEqualTo(reference.path("output").asString());
      }
      compared++;
    }
    // Five families, each with the conversations meant for it, with and without the prompt.
    assertThat(compared).isEqualTo(cases.size()).isGreaterThanOrEqualTo(40);
  }

  private static List<Case> cases() throws IOException {
    JsonNode conversations;
    try (InputStream in =
        ChatTemplateReferenceTest.class.getResourceAsStream("reference-conversations.json")) {
      conversations = JSON.readTree(Objects.requireNonNull(in));
    }
    List<Case> cases = new ArrayList<>();
    for (Family family : families()) {
      for (JsonNode conversation : conversations) {
        JsonNode only = conversation.path("families");
        if (!only.isMissingNode()
            && only.valueStream().noneMatch(f -> f.asString().equals(family.name()))) {
          continue;
        }
        List<Map<String, Object>> messages =
            JSON.convertValue(conversation.path("messages"), List.class);
        Map<String, Object> variables =
            conversation.has("variables")
                ? JSON.convertValue(conversation.path("variables"), Map.class)
                : Map.of();
        for (boolean prompt : List.of(false, true)) {
          cases.add(
              new Case(family, conversation.path("name").asString(), messages, prompt, variables));
        }
      }
    }
    return cases;
  }

  private static List<Family> families() throws IOException {
    List<Family> families = new ArrayList<>();
    for (RealTokenizers tokenizer : RealTokenizers.values()) {
      JsonNode config =
          JSON.readTree(Files.readString(tokenizer.require().resolve("tokenizer_config.json")));
      families.add(
          new Family(
              tokenizer.name().toLowerCase(Locale.ROOT),
              config.path("chat_template").asString(),
              token(config.path("bos_token")),
              token(config.path("eos_token"))));
    }
    families.add(new Family("qwen2_5", resource("templates/qwen2_5.jinja"), "", "<|im_end|>"));
    families.add(
        new Family("smollm2", resource("templates/smollm2.jinja"), "<|im_start|>", "<|im_end|>"));
    return families;
  }

  private static String token(JsonNode token) {
    return token.isObject() ? token.path("content").asString("") : token.asString("");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ChatTemplateReferenceTest.class.getResourceAsStream(name)) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** What @huggingface/jinja renders for each case: {"output": ...} or {"error": ...}. */
  private static List<JsonNode> reference(List<Case> cases) throws Exception {
    Path script = Path.of("src/test/node/render-chat-templates.mjs").toAbsolutePath();
    List<Map<String, Object>> input = new ArrayList<>();
    for (Case c : cases) {
      input.add(Map.of("template", c.family().template(), "context", c.context()));
    }
    Process node =
        new ProcessBuilder("node", script.toString(), RENDERER.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (OutputStream stdin = node.getOutputStream()) {
      stdin.write(JSON.writeValueAsBytes(input));
    }
    byte[] output = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as("node's exit status").isZero();
    List<JsonNode> results = new ArrayList<>();
    JSON.readTree(output).forEach(results::add);
    assertThat(results).hasSameSizeAs(cases);
    return results;
  }

  private static boolean nodeRuns() {
    try {
      return new ProcessBuilder("node", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
