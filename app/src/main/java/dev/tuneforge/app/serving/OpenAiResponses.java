package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.GenerationChunk;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's response objects for one generation: {@code chat.completion} and {@code text_completion}
 * whole, or their chunks as server-sent events.
 */
final class OpenAiResponses {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final String id;
  private final String model;
  private final boolean chat;
  private final long created;

  OpenAiResponses(String id, String model, boolean chat, long created) {
    this.id = id;
    this.model = model;
    this.chat = chat;
    this.created = created;
  }

  /** The whole answer. */
  ObjectNode complete(String text, String finishReason, GenerationChunk.@Nullable Usage usage) {
    ObjectNode body = head(chat ? "chat.completion" : "text_completion");
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    if (chat) {
      choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs").put("finish_reason", finishReason);
    body.set("usage", usage(usage));
    return body;
  }

  /**
   * A streamed piece: the first carries the assistant's role, the last the finish reason (and no
   * text of its own in a chat).
   */
  ObjectNode chunk(String delta, boolean first, @Nullable String finishReason) {
    ObjectNode body = head(chat ? "chat.completion.chunk" : "text_completion");
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    if (chat) {
      ObjectNode message = choice.putObject("delta");
      if (first) {
        message.put("role", "assistant");
      }
      if (!delta.isEmpty() || first) {
        message.put("content", delta);
      }
    } else {
      choice.put("text", delta);
    }
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return body;
  }

  /** The chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
  ObjectNode usageChunk(GenerationChunk.@Nullable Usage usage) {
    ObjectNode body = head(chat ? "chat.completion.chunk" : "text_completion");
    body.putArray("choices");
    body.set("usage", usage(usage));
    return body;
  }

  private ObjectNode head(String object) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", id).put("object", object).put("created", created).put("model", model);
    body.putNull("system_fingerprint");
    return body;
  }

  private static ObjectNode usage(GenerationChunk.@Nullable Usage usage) {
    int prompt = usage == null ? 0 : usage.promptTokens();
    int completion = usage == null ? 0 : usage.completionTokens();
    return JSON.createObjectNode()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }
}
