package dev.tuneforge.trainingnode.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.trainingnode.generate.ChatPrompt;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation of a tool-calling row renders its prompt as training renders the row: the declared
 * tools, the earlier call and the tool's result are all in the prompt's tokens, and the expected
 * answer of a turn that calls a tool is the call, not its empty content.
 */
class EvaluationCaseToolsTest {
  /** A ChatML template that renders tools and calls, in the manner of Qwen's. */
  private static final String TEMPLATE =
      """
      {%- if tools %}<|im_start|>system
      Tools:{% for t in tools %} {{ t.function.name }}{% endfor %}<|im_end|>
      {% endif %}\
      {%- for m in messages %}<|im_start|>{{ m.role }}
      {{ m.content }}\
      {%- if m.tool_calls %}{% for c in m.tool_calls %}<tool_call>{{ c.function.name }} \
      {{ c.function.arguments | tojson }}</tool_call>{% endfor %}{% endif %}<|im_end|>
      {% endfor %}\
      {%- if add_generation_prompt %}<|im_start|>assistant
      {% endif %}""";

  private static final String ROW =
      """
      {"messages":[{"role":"user","content":"Weather in Paris, then Rome?"},\
      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",\
      "function":{"name":"get_weather","arguments":"{\\"city\\": \\"Paris\\"}"}}]},\
      {"role":"tool","tool_call_id":"call_1","content":"{\\"temp\\": 21}"},\
      {"role":"assistant","content":"","tool_calls":[{"id":"call_2","type":"function",\
      "function":{"name":"get_weather","arguments":"{\\"city\\": \\"Rome\\"}"}}]}],\
      "tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}]}""";

  @Test
  void thePromptKeepsToolsCallsAndResultsAndTheExpectedAnswerIsTheCall(@TempDir Path dir)
      throws IOException {
    DemoModelWriter.write(dir, 1);
    Conversation row = ChatDataset.parse(1, ROW);
    EvaluationCase c = EvaluationCase.of(0, row);

    assertThat(c.expected())
        .isEqualTo("{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}");
    assertThat(c.prompt()).hasSize(3);
    assertThat(c.tools()).hasSize(1);
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(dir)) {
      ChatEncoder encoder =
          new ChatEncoder(tokenizer, new ChatTemplate(TEMPLATE, "", "<|im_end|>"), 4096);
      String prompt =
          tokenizer.decode(new ChatPrompt(encoder).encode(c.prompt(), c.tools()), false);
      assertThat(prompt)
          .isEqualTo(
              "<|im_start|>system\nTools: get_weather<|im_end|>\n"
                  + "<|im_start|>user\nWeather in Paris, then Rome?<|im_end|>\n"
                  + "<|im_start|>assistant\n<tool_call>get_weather {\"city\": \"Paris\"}"
                  + "</tool_call><|im_end|>\n"
                  + "<|im_start|>tool\n{\"temp\": 21}<|im_end|>\n"
                  + "<|im_start|>assistant\n");
    }
  }
}
