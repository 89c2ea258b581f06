package dev.tuneforge.trainingnode.evaluate;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.ToolCallAnswer;
import dev.tuneforge.protocol.PromptMessage;
import java.util.List;
import java.util.Map;

/**
 * One conversation of an evaluation set split at its last assistant turn: the messages before it
 * are the prompt (tool calls and results included, rendered with the conversation's {@link #tools}
 * as training renders them), its content the expected answer, followed by its tool calls, one per
 * line as {@code {"name": …, "arguments": {…}}}, the JSON that tool-calling templates wrap in their
 * own tags. {@code index} is its 0-based place among the set's conversations.
 */
public record EvaluationCase(
    int index, Conversation conversation, List<ChatMessage> prompt, String expected) {

  public EvaluationCase {
    prompt = List.copyOf(prompt);
  }

  /** Splits a conversation; the dataset reader guarantees it has an assistant turn. */
  public static EvaluationCase of(int index, Conversation conversation) {
    List<ChatMessage> messages = conversation.messages();
    int last = messages.size() - 1;
    while (last >= 0 && !messages.get(last).role().equals("assistant")) {
      last--;
    }
    if (last < 0) {
      throw new IllegalArgumentException(
          "line " + conversation.line() + " has no assistant turn to compare with");
    }
    return new EvaluationCase(
        index, conversation, messages.subList(0, last), expected(messages.get(last)));
  }

  /** The function schemas the conversation declares, passed to the template with the prompt. */
  public List<Map<String, Object>> tools() {
    return conversation.tools();
  }

  private static String expected(ChatMessage answer) {
    return ToolCallAnswer.write(answer.content(), answer.toolCalls());
  }

  List<PromptMessage> promptMessages() {
    return prompt.stream().map(m -> new PromptMessage(m.role(), m.content())).toList();
  }
}
