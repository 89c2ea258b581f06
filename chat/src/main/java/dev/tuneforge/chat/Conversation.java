package dev.tuneforge.chat;

import java.util.List;
import java.util.Map;

/**
 * One line of a chat JSONL dataset, with its 1-based line number for error messages, and the
 * function schemas of its {@code tools} (OpenAI's {@code {"type":"function","function":{…}}}, as
 * JSON objects read into maps), empty when it declares none.
 */
public record Conversation(int line, List<ChatMessage> messages, List<Map<String, Object>> tools) {

  public Conversation {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }

  public Conversation(int line, List<ChatMessage> messages) {
    this(line, messages, List.of());
  }

  /** Whether a message calls a tool or answers a call: it needs a template that renders tools. */
  public boolean usesTools() {
    return !tools.isEmpty()
        || messages.stream().anyMatch(m -> !m.toolCalls().isEmpty() || m.role().equals("tool"));
  }
}
