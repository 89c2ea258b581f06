package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Models' own Jinja chat templates, rendered as transformers renders them, with labels on assistant
 * turns.
 */
class ChatTemplateTest {

  static {
    TestEngine.useOneThread();
  }

  /** Meta-Llama-3-8B-Instruct's chat_template. */
  static final String LLAMA3 =
      "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>'"
          + " + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}"
          + "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EXAMPLE =
      """
      {"messages":[{"role":"system","content":"Extract."},{"role":"user","content":"  Total 12,50  \\n"},\
      {"role":"assistant","content":"{\\"total\\": \\"12,50\\"} "}]}""";

  @TempDir Path dir;

  @Test
  void theDemoModelsTemplateGivesTheSameTokensAndLabelsAsBuiltInChatMl() throws IOException {
    DemoModelWriter.write(dir, 1);
    Conversation conversation =
        ChatDataset.parse(
            1,
            """
            {"messages":[{"role":"system","content":"Extract."},{"role":"user","content":"a"},\
            {"role":"assistant","content":"old","weight":0},{"role":"user","content":"Grüße 12,50 €"},\
            {"role":"assistant","content":"{\\"total\\": \\"12,50\\"}"}]}""");

    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(dir)) {
      EncodedExample builtIn = new ChatEncoder(tokenizer, 1024).encode(conversation);
      EncodedExample fromModel = ChatEncoder.forModel(dir, tokenizer, 1024).encode(conversation);

      assertThat(fromModel.inputIds()).isEqualTo(builtIn.inputIds());
      assertThat(fromModel.labels()).isEqualTo(builtIn.labels());
      assertThat(tokenizer.decode(labelled(fromModel), false))
          .isEqualTo("{\"total\": \"12,50\"}<|im_end|>");
    }
  }

  /** The expected text is what transformers' Jinja2 environment renders for this template. */
  @Test
  void rendersALlama3TemplateAndLabelsAssistantContentWithItsEotToken() throws IOException {
    writeLlama3Model();

    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(dir)) {
      EncodedExample example =
          ChatEncoder.forModel(dir, tokenizer, 1024).encode(ChatDataset.parse(1, EXAMPLE));

      assertThat(tokenizer.decode(example.inputIds(), false))
          .isEqualTo(
              "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nExtract.<|eot_id|><|start_header_id|>"
                  + "user<|end_header_id|>\n\nTotal 12,50<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
                  + "{\"total\": \"12,50\"}<|eot_id|>");
      assertThat(tokenizer.decode(labelled(example), false))
          .isEqualTo("{\"total\": \"12,50\"}<|eot_id|>");
      assertThat(tokenizer.encode("<|eot_id|>", false, false).getIds())
          .containsExactly(example.labels()[example.length() - 1]);
    }
  }

  @Test
  void llama3TemplateSkipsAssistantTurnsWithWeightZero() throws IOException {
    writeLlama3Model();
    Conversation conversation =
        ChatDataset.parse(
            1,
            """
            {"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"old","weight":0},\
            {"role":"user","content":"b"},{"role":"assistant","content":"new"}]}""");

    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(dir)) {
      EncodedExample example = ChatEncoder.forModel(dir, tokenizer, 1024).encode(conversation);

      assertThat(tokenizer.decode(labelled(example), false)).isEqualTo("new<|eot_id|>");
    }
  }

  @Test
  void aTemplatesRaiseExceptionNamesTheLine() {
    ChatTemplate strict =
        new ChatTemplate(
            "{% for message in messages %}{% if message['role'] == 'system' %}"
                + "{{ raise_exception('System messages are not supported') }}{% endif %}"
                + "{{ message['content'] }}{% endfor %}",
            "", "</s>");

    assertThatThrownBy(
            () -> new ChatEncoder(null, strict, 64).encode(ChatDataset.parse(3, EXAMPLE)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("line 3 of the dataset: the chat_template failed")
        .hasMessageContaining("System messages are not supported");
  }

  @Test
  void labelsEarlierTurnsOfATemplateThatRendersTheLastAssistantTurnDifferently() {
    // as Qwen3's template does: only the last assistant turn carries the (empty) reasoning block
    ChatTemplate lastTurnThinks =
        new ChatTemplate(
            "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
                + "{% if m['role'] == 'assistant' and loop.last %}<think>\n\n</think>\n\n{% endif %}"
                + "{{ m['content'] }}<|im_end|>\n{% endfor %}"
                + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
            "", "<|im_end|>");
    List<ChatMessage> messages =
        List.of(
            ChatMessage.of("user", "first question"),
            ChatMessage.of("assistant", "first answer"),
            ChatMessage.of("user", "second question"),
            ChatMessage.of("assistant", "second answer"));

    List<String> trainable =
        lastTurnThinks.segments(messages).stream()
            .filter(ChatTemplate.Segment::trainable)
            .map(ChatTemplate.Segment::text)
            .toList();

    assertThat(
            String.join(
                "",
                lastTurnThinks.segments(messages).stream()
                    .map(ChatTemplate.Segment::text)
                    .toList()))
        .isEqualTo(lastTurnThinks.render(messages, false));
    assertThat(trainable)
        .containsExactly(
            "first answer<|im_end|>", "<think>\n\n</think>\n\nsecond answer<|im_end|>");
  }

  @Test
  void refusesATemplateWhoseRenderingIsNotIncremental() {
    ChatTemplate reversed =
        new ChatTemplate(
            "{% for message in messages|reverse %}{{ message['content'] }}|{% endfor %}", "", "");

    assertThatThrownBy(() -> reversed.segments(ChatDataset.parse(1, EXAMPLE).messages()))
        .hasMessageContaining("assistant message 3 cannot be located");
  }

  @Test
  void readsTheDefaultOfANamedTemplateListAndFallsBackToChatMl() throws IOException {
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"eos_token\": {\"content\": \"</s>\"}, \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"},"
            + " {\"name\": \"default\", \"template\": \"{{ messages[0]['content'] }}{{ eos_token }}\"}]}");
    List<ChatMessage> messages = List.of(ChatMessage.of("user", "hi"));

    assertThat(ChatTemplate.load(dir).render(messages, false)).isEqualTo("hi</s>");
    Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
    assertThat(ChatTemplate.load(dir).render(messages, true))
        .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
  }

  /** The demo model with Llama 3's special tokens added to its tokenizer and Llama 3's template. */
  private void writeLlama3Model() throws IOException {
    DemoModelWriter.write(dir, 1);
    ObjectNode tokenizer =
        (ObjectNode) JSON.readTree(Files.readString(dir.resolve("tokenizer.json")));
    ArrayNode added = (ArrayNode) tokenizer.get("added_tokens");
    int next = added.get(added.size() - 1).get("id").asInt() + 1;
    for (String token :
        List.of("<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")) {
      added
          .addObject()
          .put("id", next++)
          .put("content", token)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
    ObjectNode config = JSON.createObjectNode();
    config.put("bos_token", "<|begin_of_text|>");
    config.put("eos_token", "<|eot_id|>");
    config.put("chat_template", LLAMA3);
    Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(config));
  }

  private static long[] labelled(EncodedExample example) {
    return LongStream.of(example.labels()).filter(l -> l != ChatEncoder.IGNORE).toArray();
  }
}
