package dev.tuneforge.chat;

/** One message of an OpenAI chat example; {@code trainable} is false for {@code weight: 0}. */
public record ChatMessage(String role, String content, boolean trainable) {

  public static ChatMessage of(String role, String content) {
    return new ChatMessage(role, content, true);
  }
}
