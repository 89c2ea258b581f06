package dev.tuneforge.app.openai;

import org.jspecify.annotations.Nullable;

/** OpenAI's error object: {@code {"error": {"message", "type", "param", "code"}}}. */
record OpenAiError(Body error) {
  record Body(String message, String type, @Nullable String param, @Nullable String code) {}
}
