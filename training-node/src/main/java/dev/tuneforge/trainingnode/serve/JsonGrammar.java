package dev.tuneforge.trainingnode.serve;

import java.util.Arrays;

/**
 * A character-level recogniser of one JSON object (RFC 8259, whitespace around it allowed), as a
 * pushdown automaton whose state can be copied: it says whether a character may come next, and how
 * many characters at least close the object from here, so that a constrained decoder can keep every
 * prefix valid and still close within its token budget.
 */
final class JsonGrammar {

  private enum State {
    START,
    OBJECT_FIRST,
    OBJECT_KEY,
    STRING,
    ESCAPE,
    UNICODE,
    AFTER_KEY,
    VALUE,
    ARRAY_FIRST,
    NUMBER,
    LITERAL,
    AFTER_VALUE,
    DONE
  }

  /** Number sub-states: after '-', after a leading 0, in integer digits, after '.', ... */
  private enum Number {
    MINUS,
    ZERO,
    INTEGER,
    POINT,
    FRACTION,
    EXPONENT,
    EXPONENT_SIGN,
    EXPONENT_DIGITS
  }

  private State state = State.START;
  private Number number = Number.INTEGER;
  private boolean key;
  private int hexLeft;
  private String literal = "";
  private int literalAt;
  private char[] stack = new char[8];
  private int depth;

  JsonGrammar copy() {
    JsonGrammar copy = new JsonGrammar();
    copy.state = state;
    copy.number = number;
    copy.key = key;
    copy.hexLeft = hexLeft;
    copy.literal = literal;
    copy.literalAt = literalAt;
    copy.stack = Arrays.copyOf(stack, stack.length);
    copy.depth = depth;
    return copy;
  }

  /** Whether the top-level object has closed. */
  boolean done() {
    return state == State.DONE;
  }

  /** Feeds every character of {@code text}; false (and a broken state) when one does not fit. */
  boolean accept(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!accept(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  boolean accept(char c) {
    switch (state) {
      case START:
        if (isSpace(c)) {
          return true;
        }
        return c == '{' && open(c);
      case OBJECT_FIRST:
        if (isSpace(c)) {
          return true;
        }
        if (c == '}') {
          return close(c);
        }
        return c == '"' && startString(true);
      case OBJECT_KEY:
        return isSpace(c) || (c == '"' && startString(true));
      case STRING:
        if (c == '"') {
          state = key ? State.AFTER_KEY : State.AFTER_VALUE;
        } else if (c == '\\') {
          state = State.ESCAPE;
        } else if (c < 0x20) {
          return false;
        }
        return true;
      case ESCAPE:
        if (c == 'u') {
          hexLeft = 4;
          state = State.UNICODE;
          return true;
        }
        state = State.STRING;
        return "\"\\/bfnrt".indexOf(c) >= 0;
      case UNICODE:
        if (Character.digit(c, 16) < 0) {
          return false;
        }
        if (--hexLeft == 0) {
          state = State.STRING;
        }
        return true;
      case AFTER_KEY:
        if (c == ':') {
          state = State.VALUE;
          return true;
        }
        return isSpace(c);
      case VALUE:
        return isSpace(c) || startValue(c);
      case ARRAY_FIRST:
        if (isSpace(c)) {
          return true;
        }
        return c == ']' ? close(c) : startValue(c);
      case NUMBER:
        return number(c);
      case LITERAL:
        if (c != literal.charAt(literalAt)) {
          return false;
        }
        if (++literalAt == literal.length()) {
          state = State.AFTER_VALUE;
        }
        return true;
      case AFTER_VALUE:
        if (isSpace(c)) {
          return true;
        }
        if (c == ',') {
          state = stack[depth - 1] == '{' ? State.OBJECT_KEY : State.VALUE;
          return true;
        }
        return (c == '}' || c == ']') && close(c);
      case DONE:
      default:
        return false;
    }
  }

  /**
   * The fewest characters that close the top-level object from here: the open string, escape or
   * literal finished, a missing value given ({@code 0}), then every open bracket closed.
   */
  int charactersToClose() {
    int pending =
        switch (state) {
          case START -> 2;
          case OBJECT_FIRST, ARRAY_FIRST, AFTER_VALUE, DONE -> 0;
          case OBJECT_KEY -> 4; // "":0
          case STRING -> 1 + (key ? 2 : 0);
          case ESCAPE -> 2 + (key ? 2 : 0);
          case UNICODE -> hexLeft + 1 + (key ? 2 : 0);
          case AFTER_KEY -> 2;
          case VALUE -> 1;
          case NUMBER -> numberComplete() ? 0 : 1;
          case LITERAL -> literal.length() - literalAt;
        };
    return pending + depth;
  }

  private boolean startString(boolean isKey) {
    key = isKey;
    state = State.STRING;
    return true;
  }

  private boolean startValue(char c) {
    switch (c) {
      case '"':
        return startString(false);
      case '{':
      case '[':
        return open(c);
      case 't':
      case 'f':
      case 'n':
        literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
        literalAt = 1;
        state = State.LITERAL;
        return true;
      case '-':
        number = Number.MINUS;
        state = State.NUMBER;
        return true;
      default:
        if (c >= '0' && c <= '9') {
          number = c == '0' ? Number.ZERO : Number.INTEGER;
          state = State.NUMBER;
          return true;
        }
        return false;
    }
  }

  private boolean number(char c) {
    boolean digit = c >= '0' && c <= '9';
    switch (number) {
      case MINUS:
        if (digit) {
          number = c == '0' ? Number.ZERO : Number.INTEGER;
        }
        return digit;
      case INTEGER:
        if (digit) {
          return true;
        }
      // fall through: after integer digits as after a leading zero
      case ZERO:
        if (c == '.') {
          number = Number.POINT;
          return true;
        }
        if (c == 'e' || c == 'E') {
          number = Number.EXPONENT;
          return true;
        }
        return endNumber(c);
      case POINT:
        if (digit) {
          number = Number.FRACTION;
        }
        return digit;
      case FRACTION:
        if (digit) {
          return true;
        }
        if (c == 'e' || c == 'E') {
          number = Number.EXPONENT;
          return true;
        }
        return endNumber(c);
      case EXPONENT:
        if (c == '+' || c == '-') {
          number = Number.EXPONENT_SIGN;
          return true;
        }
      // fall through: a digit right after e
      case EXPONENT_SIGN:
        if (digit) {
          number = Number.EXPONENT_DIGITS;
        }
        return digit;
      case EXPONENT_DIGITS:
      default:
        return digit || endNumber(c);
    }
  }

  private boolean numberComplete() {
    return number == Number.ZERO
        || number == Number.INTEGER
        || number == Number.FRACTION
        || number == Number.EXPONENT_DIGITS;
  }

  /** A character after a complete number ends it and counts as the first after the value. */
  private boolean endNumber(char c) {
    state = State.AFTER_VALUE;
    return accept(c);
  }

  private boolean open(char bracket) {
    if (depth == stack.length) {
      stack = Arrays.copyOf(stack, depth * 2);
    }
    stack[depth++] = bracket;
    state = bracket == '{' ? State.OBJECT_FIRST : State.ARRAY_FIRST;
    return true;
  }

  private boolean close(char bracket) {
    if (depth == 0 || stack[depth - 1] != (bracket == '}' ? '{' : '[')) {
      return false;
    }
    depth--;
    state = depth == 0 ? State.DONE : State.AFTER_VALUE;
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
