package dev.tuneforge.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hubspot.jinjava.Jinjava;
import dev.tuneforge.chat.jinja.TransformersJinja;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A template parsed once renders exactly what Jinjava renders from the source each time. */
class ChatTemplateRenderingTest {
  /** Meta-Llama-3-8B-Instruct's chat_template. */
  private static final String LLAMA3 =
      "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>'"
          + " + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}"
          + "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

  /** Mistral-7B-Instruct-v0.1's, which alternates roles strictly and raises otherwise. */
  private static final String MISTRAL =
      "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
          + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
          + "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
          + "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}"
          + "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

  private static final List<ChatMessage> CHAT =
      List.of(
          ChatMessage.of("user", "  Total 12,50  \n"),
              ChatMessage.of("assistant", "{\"total\": \"12,50\"} "),
          ChatMessage.of("user", "Und das Datum?"),
              ChatMessage.of("assistant", "{\"date\": \"2024-03-01\"}"));

  @Test
  void rendersAsJinjavaFromTheSourceForEveryPrefixTwice() {
    for (String source : List.of(ChatTemplate.CHATML, LLAMA3, MISTRAL)) {
      ChatTemplate template = new ChatTemplate(source, "<s>", "</s>");
      for (int round = 0; round < 2; round++) {
        for (int n = 1; n <= CHAT.size(); n++) {
          for (boolean prompt : List.of(false, true)) {
            assertThat(template.render(CHAT.subList(0, n), prompt))
                .isEqualTo(jinjava(source, CHAT.subList(0, n), prompt));
          }
        }
      }
    }
  }

  @Test
  void aRaisedExceptionAndABrokenTemplateAreStillReportedWithTheirReason() {
    ChatTemplate mistral = new ChatTemplate(MISTRAL, "<s>", "</s>");
    assertThatThrownBy(() -> mistral.render(List.of(ChatMessage.of("system", "Extract.")), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Conversation roles must alternate user/assistant");
    assertThat(mistral.render(CHAT.subList(0, 1), false))
        .isEqualTo("<s>[INST]   Total 12,50  \n [/INST]");

    ChatTemplate broken =
        new ChatTemplate("{% for message in messages %}{{ message['content'] }}", "", "");
    assertThatThrownBy(() -> broken.render(CHAT, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the chat_template failed at line 1");
  }

  /**
   * Jinja2 prints a message's text as it is: placeholders and tags inside content are data, not
   * template, so they reach the rendering, the labels and the token counts byte for byte.
   */
  @Test
  void templateSyntaxInsideMessageContentIsKeptLiterally() {
    String user =
        "Dear {{name}}, {{ x }} {% if x %}yes{% endif %} {# note #} {{ raise_exception('no') }}";
    String assistant = "{% for i in range(3) %}{{ i }}{% endfor %} and {{- y -}} {%- raw %}";
    List<ChatMessage> chat =
        List.of(ChatMessage.of("user", user), ChatMessage.of("assistant", assistant));

    assertThat(ChatTemplate.chatMl().render(chat, false))
        .isEqualTo(
            "<|im_start|>user\n"
                + user
                + "<|im_end|>\n<|im_start|>assistant\n"
                + assistant
                + "<|im_end|>\n");
    assertThat(new ChatTemplate(LLAMA3, "<s>", "</s>").render(chat, true))
        .isEqualTo(
            "<s><|start_header_id|>user<|end_header_id|>\n\n"
                + user
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
                + assistant
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    assertThat(new ChatTemplate(MISTRAL, "<s>", "</s>").render(chat, false))
        .isEqualTo("<s>[INST] " + user + " [/INST]" + assistant + "</s> ");
    assertThat(ChatTemplate.chatMl().segments(chat))
        .contains(new ChatTemplate.Segment(assistant + "<|im_end|>", true));
  }

  private static String jinjava(
      String source, List<ChatMessage> messages, boolean addGenerationPrompt) {
    Jinjava plain = TransformersJinja.newJinjava();
    List<Map<String, Object>> list = new ArrayList<>();
    messages.forEach(m -> list.add(Map.of("role", m.role(), "content", m.content())));
    Map<String, Object> context = new HashMap<>();
    context.put("messages", list);
    context.put("add_generation_prompt", addGenerationPrompt);
    context.put("bos_token", "<s>");
    context.put("eos_token", "</s>");
    return plain.renderForResult(source, context).getOutput();
  }
}
