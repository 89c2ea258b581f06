package dev.tuneforge.app.dataset.quality;

/**
 * One row's messages as the {@link QualityAnalyzer} reads them: each message's role and text, the
 * text in a shared char buffer so that no string is made per message, and redactable in place.
 */
public interface RowMessages {
  int size();

  /** A number per role: equal roles, equal numbers. */
  byte role(int i);

  boolean assistant(int i);

  /** Whether the row declares tools, or a message calls one or answers a call. */
  default boolean usesTools() {
    return false;
  }

  /** Whether message {@code i} is an assistant's tool call, whose text may well be empty. */
  default boolean callsTools(int i) {
    return false;
  }

  /** The buffer holding every message's text; valid until text is added or replaced. */
  char[] chars();

  /** Where message {@code i}'s text starts in {@link #chars()}. */
  int textStart(int i);

  int textLength(int i);

  /** The text of message {@code i} as a string. */
  String text(int i);

  /** Gives message {@code i} new text (redaction). */
  void replaceText(int i, String replacement);

  /** The UTF-8 length of message {@code i}'s text when reading it told it, else -1. */
  int utf8Length(int i);
}
