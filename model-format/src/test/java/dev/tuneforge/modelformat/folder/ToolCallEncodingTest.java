package dev.tuneforge.modelformat.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tool-calling conversation, as a stored dataset line holds it, renders through Qwen3's real chat
 * template with the tools in its system prompt, and takes loss on the assistant's calls and answer
 * but not on the tool's result; templates without tool support refuse it.
 */
class ToolCallEncodingTest {

  static final String LINE =
      """
      {"messages":[{"role":"user","content":"Weather in Paris?"},\
      {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function",\
      "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}}]},\
      {"role":"tool","content":"{\\"temp\\": 21}","tool_call_id":"call_1","name":"get_weather"},\
      {"role":"assistant","content":"It is 21 degrees."}],\
      "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather of a city",\
      "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},\
      "required":["city"]}}}]}""";

  @Test
  void qwen3RendersToolsAndCallsAndLabelsOnlyTheAssistantTurns() throws IOException {
    Path qwen3 = HubModelsTest.tokenizer(RealTokenizers.QWEN3);
    Conversation conversation = ChatDataset.parse(1, LINE);
    ChatTemplate template = ChatTemplate.load(qwen3);
    assertThat(template.supportsTools()).isTrue();
    String rendered = template.render(conversation.messages(), conversation.tools(), false);
    // As transformers' apply_chat_template(messages, tools=tools) renders it with Qwen3's template
    // (checked by hand against the template, and in ChatTemplateReferenceTest against
    // @huggingface/jinja): the schemas in the system prompt, the arguments as a dict in tojson.
    String call =
        "<tool_call>\n"
            + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n"
            + "</tool_call><|im_end|>";
    String answer = "<think>\n\n</think>\n\nIt is 21 degrees.<|im_end|>";
    assertThat(rendered)
        .isEqualTo(
            "<|im_start|>system\n# Tools\n\nYou may call one or more functions to assist with the"
                + " user query.\n\nYou are provided with function signatures within <tools></tools>"
                + " XML tags:\n<tools>\n"
                + "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
                + " \"description\": \"Weather of a city\", \"parameters\": {\"type\": \"object\","
                + " \"properties\": {\"city\": {\"type\": \"string\"}, \"days\": {\"type\":"
                + " \"integer\"}}, \"required\": [\"city\"]}}}\n"
                + "</tools>\n\nFor each function call, return a json object with function name and"
                + " arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
                + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
                + "</tool_call><|im_end|>\n"
                + "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                + "<|im_start|>assistant\n"
                + call
                + "\n<|im_start|>user\n<tool_response>\n{\"temp\": 21}\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n"
                + answer
                + "\n");
    try (HuggingFaceTokenizer tokens = ChatEncoder.loadTokenizer(qwen3)) {
      EncodedExample example = new ChatEncoder(tokens, template, 4096).encode(conversation);
      // The ids are those of the whole rendered text, as transformers tokenizes it.
      assertThat(example.inputIds()).isEqualTo(tokens.encode(rendered, false, false).getIds());
      // Loss on the call and the answer, each with its end token; none on the tool's result.
      assertThat(learned(tokens, example)).containsExactly(call, answer);
    }
  }

  @Test
  void templatesWithoutToolSupportRefuseToolCalls() throws IOException {
    Conversation conversation = ChatDataset.parse(7, LINE);
    for (RealTokenizers family : List.of(RealTokenizers.LLAMA3, RealTokenizers.GEMMA3)) {
      Path folder = HubModelsTest.tokenizer(family);
      ChatTemplate template = ChatTemplate.load(folder);
      assertThat(template.supportsTools()).as(family.name()).isFalse();
      try (HuggingFaceTokenizer tokens = ChatEncoder.loadTokenizer(folder)) {
        ChatEncoder encoder = new ChatEncoder(tokens, template, 4096);
        assertThatThrownBy(() -> encoder.encode(conversation))
            .isInstanceOf(DatasetException.class)
            .hasMessage(
                "line 7 of the dataset: the conversation calls tools, and the model's chat template"
                    + " has no tool support");
      }
    }
  }

  /** The runs of labelled tokens, decoded. */
  private static List<String> learned(HuggingFaceTokenizer tokens, EncodedExample example) {
    List<String> runs = new ArrayList<>();
    long[] labels = example.labels();
    int i = 0;
    while (i < labels.length) {
      if (labels[i] == ChatEncoder.IGNORE) {
        i++;
        continue;
      }
      int start = i;
      while (i < labels.length && labels[i] != ChatEncoder.IGNORE) {
        i++;
      }
      runs.add(tokens.decode(Arrays.copyOfRange(labels, start, i), false));
    }
    return runs;
  }
}
