package dev.tuneforge.chat;

import java.util.List;

/** One line of a chat JSONL dataset, with its 1-based line number for error messages. */
public record Conversation(int line, List<ChatMessage> messages) {

  public Conversation {
    messages = List.copyOf(messages);
  }
}
