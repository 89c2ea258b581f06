package dev.tuneforge.protocol;

/** One message of an evaluation prompt: {@code role} (system, user, assistant) and its text. */
public record PromptMessage(String role, String content) {}
