package dev.tuneforge.node.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a conversation as ChatML, the demo model's {@code chat_template}, in pieces that
 * say which text carries loss. The one place a Jinja engine would replace later.
 */
final class ChatTemplate {

  /** A stretch of rendered text; {@code trainable} marks assistant content and its end token. */
  record Segment(String text, boolean trainable) {}

  static final String IM_START = "<|im_start|>";
  static final String IM_END = "<|im_end|>";

  private ChatTemplate() {}

  static List<Segment> render(List<ChatMessage> messages) {
    List<Segment> segments = new ArrayList<>();
    for (ChatMessage message : messages) {
      append(segments, IM_START + message.role() + "\n", false);
      boolean trainable = message.role().equals("assistant") && message.trainable();
      append(segments, message.content() + IM_END, trainable);
      append(segments, "\n", false);
    }
    return segments;
  }

  /** Neighbours with the same flag are joined so the tokenizer sees them as one text. */
  private static void append(List<Segment> segments, String text, boolean trainable) {
    if (!segments.isEmpty() && segments.getLast().trainable() == trainable) {
      Segment last = segments.removeLast();
      segments.add(new Segment(last.text() + text, trainable));
    } else {
      segments.add(new Segment(text, trainable));
    }
  }
}
