package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A chat template's {@link ChatTemplate#segments segments} of a conversation, rendered once per
 * shape (its system prompts as they are, the sequence of roles and loss flags) with a marker in
 * place of every other message's content, and the row's contents spliced into the markers: Jinja
 * rendering costs far more than splicing. Only where that is safe: the first rows of each shape and
 * every {@link #SAMPLE_EVERY}th after them are also rendered in full and compared; a shape that
 * differs at its first check is rendered per row from then on, and one that differs later throws
 * {@link Mismatch}, since rows spliced before it cannot be trusted. Contents a template is known to
 * look into (edge whitespace that {@code trim} removes, tags such as {@code </think>}, empty text)
 * are never spliced.
 */
final class TemplateShapes {
  /** Rows of a shape rendered in full before its splices are trusted. */
  static final int CHECKED_FIRST = 2;

  static final int SAMPLE_EVERY = 64;

  /** Shapes remembered; rows of further shapes are rendered in full. */
  static final int MAX_SHAPES = 1024;

  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';

  private final ChatTemplate template;
  private final Map<List<Object>, Shape> shapes = new HashMap<>();
  private long spliced;
  private long rendered;

  TemplateShapes(ChatTemplate template) {
    this.template = template;
  }

  /**
   * @throws IllegalArgumentException when the template refuses the conversation
   * @throws Mismatch when a sampled splice differs from the full rendering
   */
  List<ChatTemplate.Segment> segments(List<ChatMessage> messages) {
    if (!spliceable(messages)) {
      return render(messages);
    }
    List<Object> key = key(messages);
    Shape shape = shapes.get(key);
    if (shape == null) {
      if (shapes.size() >= MAX_SHAPES) {
        return render(messages);
      }
      shape = new Shape(markedSegments(messages));
      shapes.put(key, shape);
    }
    List<List<Object>> parts = shape.parts;
    if (parts == null) {
      return render(messages);
    }
    shape.rows++;
    boolean check = shape.rows <= CHECKED_FIRST || shape.rows % SAMPLE_EVERY == 0;
    List<ChatTemplate.Segment> segments = splice(parts, messages);
    if (check) {
      List<ChatTemplate.Segment> full = render(messages);
      if (!full.equals(segments)) {
        boolean trusted = shape.rows <= CHECKED_FIRST;
        shape.parts = null;
        if (!trusted) {
          throw new Mismatch();
        }
      }
      return full;
    }
    spliced++;
    return segments;
  }

  /** Rows whose segments were spliced rather than rendered. */
  long spliced() {
    return spliced;
  }

  /** Rows rendered in full (to check a shape, or because they could not be spliced). */
  long rendered() {
    return rendered;
  }

  private List<ChatTemplate.Segment> render(List<ChatMessage> messages) {
    rendered++;
    return template.segments(messages);
  }

  /**
   * Each segment of the shape as text between markers: even entries are literal text, odd ones the
   * index of the message whose content goes there; null when a marker did not come through whole.
   */
  private @Nullable List<List<Object>> markedSegments(List<ChatMessage> messages) {
    List<ChatMessage> marked = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      marked.add(
          m.role().equals("system") ? m : new ChatMessage(m.role(), marker(i), m.trainable()));
    }
    List<ChatTemplate.Segment> segments;
    try {
      segments = template.segments(marked);
    } catch (IllegalArgumentException e) {
      return null;
    }
    List<List<Object>> parts = new ArrayList<>();
    for (ChatTemplate.Segment segment : segments) {
      List<Object> pieces = pieces(segment.text());
      if (pieces == null) {
        return null;
      }
      pieces.add(segment.trainable());
      parts.add(pieces);
    }
    return parts;
  }

  private static @Nullable List<Object> pieces(String text) {
    List<Object> pieces = new ArrayList<>();
    int at = 0;
    for (int open = text.indexOf(OPEN); open >= 0; open = text.indexOf(OPEN, at)) {
      int close = text.indexOf(CLOSE, open);
      if (close < 0) {
        return null;
      }
      pieces.add(text.substring(at, open));
      try {
        pieces.add(Integer.parseInt(text.substring(open + 1, close)));
      } catch (NumberFormatException e) {
        return null;
      }
      at = close + 1;
    }
    if (text.indexOf(CLOSE, at) >= 0) {
      return null;
    }
    pieces.add(text.substring(at));
    return pieces;
  }

  private static List<ChatTemplate.Segment> splice(
      List<List<Object>> parts, List<ChatMessage> messages) {
    List<ChatTemplate.Segment> segments = new ArrayList<>(parts.size());
    for (List<Object> pieces : parts) {
      StringBuilder text = new StringBuilder();
      int last = pieces.size() - 1;
      for (int p = 0; p < last; p++) {
        if (p % 2 == 0) {
          text.append((String) pieces.get(p));
        } else {
          text.append(messages.get((Integer) pieces.get(p)).content());
        }
      }
      segments.add(new ChatTemplate.Segment(text.toString(), (Boolean) pieces.get(last)));
    }
    return segments;
  }

  private static String marker(int index) {
    return OPEN + Integer.toString(index) + CLOSE;
  }

  private static List<Object> key(List<ChatMessage> messages) {
    List<Object> key = new ArrayList<>(messages.size() * 2);
    for (ChatMessage m : messages) {
      key.add(m.role().equals("system") ? "system:" + m.content() : m.role());
      key.add(m.trainable());
    }
    return key;
  }

  /**
   * Whether every content that would be spliced is plain text a template passes through as it is.
   */
  private static boolean spliceable(List<ChatMessage> messages) {
    for (ChatMessage m : messages) {
      if (!m.role().equals("system") && !plain(m.content())) {
        return false;
      }
    }
    return true;
  }

  static boolean plain(String content) {
    if (content.isEmpty()
        || edgeSpace(content.charAt(0))
        || edgeSpace(content.charAt(content.length() - 1))) {
      return false;
    }
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c == '<' || c == OPEN || c == CLOSE) {
        return false;
      }
    }
    return true;
  }

  private static boolean edgeSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** A splice that differed from the full rendering after rows of its shape were spliced. */
  static final class Mismatch extends RuntimeException {
    Mismatch() {
      super("a spliced chat template rendering differed from the full one", null, false, false);
    }
  }

  private static final class Shape {
    private @Nullable List<List<Object>> parts;
    private int rows;

    Shape(@Nullable List<List<Object>> parts) {
      this.parts = parts;
    }
  }
}
