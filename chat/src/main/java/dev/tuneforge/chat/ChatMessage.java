package dev.tuneforge.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message of an OpenAI chat example; {@code trainable} is false for {@code weight: 0}. An
 * assistant message may carry {@code toolCalls} (its content may then be empty); a {@code tool}
 * message is a call's result, with the call's {@code toolCallId} and the tool's {@code name} where
 * the data gave them.
 */
public record ChatMessage(
    String role,
    String content,
    boolean trainable,
    List<ToolCall> toolCalls,
    @Nullable String toolCallId,
    @Nullable String name) {

  public ChatMessage {
    toolCalls = List.copyOf(toolCalls);
  }

  public ChatMessage(String role, String content, boolean trainable) {
    this(role, content, trainable, List.of(), null, null);
  }

  public static ChatMessage of(String role, String content) {
    return new ChatMessage(role, content, true);
  }

  /**
   * The message as transformers hands it to a chat template: {@code role} and {@code content}, and
   * {@code tool_calls} with each call's {@code arguments} as a dict, {@code tool_call_id} and
   * {@code name} where present.
   */
  public Map<String, Object> templateView() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("role", role);
    view.put("content", content);
    if (!toolCalls.isEmpty()) {
      view.put("tool_calls", toolCalls.stream().map(ToolCall::templateView).toList());
    }
    if (toolCallId != null) {
      view.put("tool_call_id", toolCallId);
    }
    if (name != null) {
      view.put("name", name);
    }
    return view;
  }
}
