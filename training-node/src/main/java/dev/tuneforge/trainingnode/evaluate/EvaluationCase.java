package dev.tuneforge.trainingnode.evaluate;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.protocol.PromptMessage;
import java.util.List;

/**
 * One conversation of an evaluation set split at its last assistant turn: the messages before it
 * are the prompt, its content the expected answer. {@code index} is its 0-based place among the
 * set's conversations.
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
        index, conversation, messages.subList(0, last), messages.get(last).content());
  }

  List<PromptMessage> promptMessages() {
    return prompt.stream().map(m -> new PromptMessage(m.role(), m.content())).toList();
  }
}
