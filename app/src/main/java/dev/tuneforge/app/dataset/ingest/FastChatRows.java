package dev.tuneforge.app.dataset.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a valid chat row straight from its line's bytes, when the line has the shape nearly every
 * chat upload has: a {@code "messages"} array of objects of {@code "role"} (system, user or
 * assistant), {@code "content"} (a string) and at most a {@code "weight"} of 0 or 1, in any order,
 * beside which other keys hold at most a string, an integer or a literal (an id, a source), with
 * any JSON whitespace between tokens. It decodes each string once, into the row, and notes where it
 * lies for the canonical writer: no tokenizer, no second copy.
 *
 * <p>Anything else (another key, a duplicate, a problem of any kind, a string it does not decode)
 * makes it answer false, and Jackson and {@link ChatRows} read the line as before: so every problem
 * is still found and worded by them. {@code FastChatRowsTest} checks that both read every line it
 * takes the same way.
 */
final class FastChatRows {
  private static final byte[] MESSAGES = ascii("\"messages\"");
  private static final byte[] ROLE = ascii("\"role\"");
  private static final byte[] CONTENT = ascii("\"content\"");
  private static final byte[] WEIGHT = ascii("\"weight\"");
  private static final byte[] TOOLS = ascii("\"tools\"");
  private static final byte[][] ROLES = {
    ascii("\"system\""), ascii("\"user\""), ascii("\"assistant\"")
  };
  private static final byte[][] LITERALS = {ascii("true"), ascii("false"), ascii("null")};

  private FastChatRows() {}

  /**
   * Reads {@code bytes} from {@code start} to {@code end} (a line checked as UTF-8, which {@code
   * row} reads from: see {@link ChatRowBuffer#readFrom}) into {@code row}; false when the line is
   * not one it reads, leaving {@code row} to be read again.
   */
  static boolean read(byte[] bytes, int start, int end, ChatRowBuffer row) {
    row.clear();
    int i = space(bytes, start, end);
    if (!at(bytes, i, end, '{')) {
      return false;
    }
    boolean messages = false;
    boolean learnable = false;
    do {
      i = space(bytes, i + 1, end);
      if (startsWith(bytes, i, end, MESSAGES) && !messages) {
        messages = true;
        i = value(bytes, i + MESSAGES.length, end);
        if (!at(bytes, i, end, '[')) {
          return false;
        }
        do {
          i = message(bytes, space(bytes, i + 1, end), end, row);
          if (i < 0) {
            return false;
          }
          learnable |=
              row.role(row.size() - 1) == ChatRowBuffer.ASSISTANT
                  && row.weight(row.size() - 1) != 0;
          i = space(bytes, i, end);
        } while (at(bytes, i, end, ','));
        if (!at(bytes, i, end, ']')) {
          return false;
        }
        i++;
      } else {
        i = otherMember(bytes, i, end, row);
        if (i < 0) {
          return false;
        }
      }
      i = space(bytes, i, end);
    } while (at(bytes, i, end, ','));
    return messages && learnable && at(bytes, i, end, '}') && space(bytes, i + 1, end) == end;
  }

  /**
   * Skips a top-level member other than the messages and tools (an id, a source): a key without
   * escapes and a string, an integer, true, false or null; the index after it, or -1 for anything
   * else.
   */
  private static int otherMember(byte[] bytes, int i, int end, ChatRowBuffer row) {
    if (!at(bytes, i, end, '"')) {
      return -1;
    }
    int key = i + 1;
    while (key < end
        && bytes[key] != '"'
        && bytes[key] != '\\'
        && (bytes[key] >= 0x20 || bytes[key] < 0)) {
      key++;
    }
    if (!at(bytes, key, end, '"')
        || startsWith(bytes, i, end, MESSAGES)
        || startsWith(bytes, i, end, TOOLS)) {
      return -1;
    }
    i = value(bytes, key + 1, end);
    if (at(bytes, i, end, '"')) {
      return row.decodeJsonString(i, end) == ChatRowBuffer.MISSING ? -1 : row.jsonEnd();
    }
    for (byte[] literal : LITERALS) {
      if (startsWith(bytes, i, end, literal)) {
        return separated(bytes, i + literal.length, end);
      }
    }
    int digits = i + (at(bytes, i, end, '-') ? 1 : 0);
    int after = digits;
    while (after < end && bytes[after] >= '0' && bytes[after] <= '9') {
      after++;
    }
    // JSON has no leading zeros: "01" is not a number.
    boolean integer = after > digits && (bytes[digits] != '0' || after == digits + 1);
    return integer ? separated(bytes, after, end) : -1;
  }

  /** {@code i} when a value ends there (a comma or the closing brace follows), else -1. */
  private static int separated(byte[] bytes, int i, int end) {
    int next = space(bytes, i, end);
    return at(bytes, next, end, ',') || at(bytes, next, end, '}') ? i : -1;
  }

  /** Reads one message object at {@code i}; the index after it, or -1. */
  private static int message(byte[] bytes, int i, int end, ChatRowBuffer row) {
    if (!at(bytes, i, end, '{')) {
      return -1;
    }
    byte role = ChatRowBuffer.NO_ROLE;
    long content = ChatRowBuffer.MISSING;
    int weight = ChatRowBuffer.NO_WEIGHT;
    do {
      i = space(bytes, i + 1, end);
      if (startsWith(bytes, i, end, ROLE) && role == ChatRowBuffer.NO_ROLE) {
        i = value(bytes, i + ROLE.length, end);
        for (byte r = 0; r < ROLES.length && role == ChatRowBuffer.NO_ROLE; r++) {
          if (startsWith(bytes, i, end, ROLES[r])) {
            role = r;
            i += ROLES[r].length;
          }
        }
        if (role == ChatRowBuffer.NO_ROLE) {
          return -1;
        }
      } else if (startsWith(bytes, i, end, CONTENT) && content == ChatRowBuffer.MISSING) {
        content = row.decodeJsonString(value(bytes, i + CONTENT.length, end), end);
        if (content == ChatRowBuffer.MISSING) {
          return -1;
        }
        i = row.jsonEnd();
      } else if (startsWith(bytes, i, end, WEIGHT) && weight == ChatRowBuffer.NO_WEIGHT) {
        i = value(bytes, i + WEIGHT.length, end);
        if (!at(bytes, i, end, '0') && !at(bytes, i, end, '1')) {
          return -1;
        }
        weight = bytes[i] - '0';
        // "1.0", "10", "1e0" are numbers Jackson reads differently: after the digit comes a
        // separator.
        i = separated(bytes, i + 1, end);
        if (i < 0) {
          return -1;
        }
      } else {
        return -1;
      }
      i = space(bytes, i, end);
    } while (at(bytes, i, end, ','));
    if (!at(bytes, i, end, '}')
        || role == ChatRowBuffer.NO_ROLE
        || content == ChatRowBuffer.MISSING) {
      return -1;
    }
    row.add(role, null, content, weight, null);
    return i + 1;
  }

  /** After a key: the index of its value (past the colon and whitespace), or {@code end}. */
  private static int value(byte[] bytes, int i, int end) {
    i = space(bytes, i, end);
    return at(bytes, i, end, ':') ? space(bytes, i + 1, end) : end;
  }

  /** The first index from {@code i} that is not JSON whitespace. */
  private static int space(byte[] bytes, int i, int end) {
    while (i < end
        && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) {
      i++;
    }
    return i;
  }

  private static boolean at(byte[] bytes, int i, int end, char c) {
    return i < end && bytes[i] == c;
  }

  private static boolean startsWith(byte[] bytes, int i, int end, byte[] prefix) {
    return end - i >= prefix.length
        && Arrays.equals(bytes, i, i + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
