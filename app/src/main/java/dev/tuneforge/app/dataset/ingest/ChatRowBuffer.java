package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.quality.RowMessages;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ToolCall;
import dev.tuneforge.chat.ToolCalls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

/**
 * One row being read, reused from row to row so that validating a large file allocates little:
 * message texts are copied into one growing char buffer and referred to by spans.
 */
final class ChatRowBuffer implements RowMessages {
  static final byte NOT_OBJECT = -2;
  static final byte NO_ROLE = -1;
  static final byte SYSTEM = 0;
  static final byte USER = 1;
  static final byte ASSISTANT = 2;
  static final byte OTHER_ROLE = 3;
  static final byte TOOL = 4;

  /** A span for a key that is absent. */
  static final long MISSING = -1;

  /** A span for a key whose value is not a string. */
  static final long NOT_TEXT = -2;

  static final int NO_WEIGHT = -1;
  static final int BAD_WEIGHT = 2;

  /** The JSON span of text that was not read from a checked line, or holds a surrogate. */
  private static final long NO_RAW = -1;

  private static final SerializableString[] ROLE_NAMES = {
    new SerializedString("system"),
    new SerializedString("user"),
    new SerializedString("assistant"),
    new SerializedString("other"),
    new SerializedString("tool")
  };
  private static final String[] ROLE_TEXTS = {"system", "user", "assistant", "other", "tool"};
  private static final SerializableString MESSAGES = new SerializedString("messages");
  private static final SerializableString ROLE = new SerializedString("role");
  private static final SerializableString CONTENT = new SerializedString("content");
  private static final SerializableString WEIGHT = new SerializedString("weight");
  private static final SerializableString TOOL_CALLS = new SerializedString("tool_calls");
  private static final SerializableString TOOL_CALL_ID = new SerializedString("tool_call_id");
  private static final SerializableString NAME = new SerializedString("name");
  private static final SerializableString TOOLS = new SerializedString("tools");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private char[] text = new char[1 << 14];
  private int textLength;
  private int size;
  private byte[] roles = new byte[16];
  private long[] contents = new long[16];
  private int[] weights = new int[16];
  private @Nullable String[] otherRoles = new String[16];
  private @Nullable String[] weightTexts = new String[16];

  /**
   * Tool use, rare: per message its calls, the id of the call it answers and the tool's name; per
   * row the declared function schemas and the first problem found while reading them.
   */
  private @Nullable List<ToolCall>[] toolCalls = newCallArray(16);

  private @Nullable String[] toolCallIds = new String[16];
  private @Nullable String[] toolNames = new String[16];
  private List<Map<String, Object>> tools = List.of();
  private boolean usesTools;
  private @Nullable String toolProblem;

  /**
   * Per message, where in {@link #source} its text is, as the JSON string it was read from (between
   * the quotes), or {@link #NO_RAW} when there is none or it holds a surrogate (a 4-byte code
   * point, or an escaped surrogate): the canonical writer rewrites such a string's escapes and
   * copies the rest, instead of encoding the decoded text again.
   */
  private long[] raws = new long[16];

  /** Per message with a JSON span, its text's UTF-8 length, known from the span; else -1. */
  private int[] utf8Lengths = new int[16];

  private byte @Nullable [] source;
  private int sourceStart;

  /**
   * The span last copied from the parser and its raw span; {@link #NO_RAW} after any other copy.
   */
  private long lastText = NO_RAW;

  private long lastRaw = NO_RAW;
  private int lastUtf8Length;
  private int jsonEnd;

  void clear() {
    textLength = 0;
    size = 0;
    lastText = NO_RAW;
    tools = List.of();
    usesTools = false;
    toolProblem = null;
  }

  /**
   * Says that the texts copied from here on are parsed from the line in {@code bytes} that begins
   * at {@code start} and holds well-formed UTF-8; null: from anything else.
   */
  void readFrom(byte @Nullable [] bytes, int start) {
    source = bytes;
    sourceStart = start;
    lastText = NO_RAW;
  }

  /** Forgets the messages but keeps the text, for a key that is repeated within a row. */
  void dropMessages() {
    size = 0;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public byte role(int i) {
    return roles[i];
  }

  @Override
  public boolean assistant(int i) {
    return roles[i] == ASSISTANT;
  }

  @Nullable String otherRole(int i) {
    return otherRoles[i];
  }

  long content(int i) {
    return contents[i];
  }

  int weight(int i) {
    return weights[i];
  }

  @Nullable String weightText(int i) {
    return weightTexts[i];
  }

  void add(
      byte role,
      @Nullable String otherRole,
      long content,
      int weight,
      @Nullable String weightText) {
    if (size == roles.length) {
      int grown = size * 2;
      roles = Arrays.copyOf(roles, grown);
      contents = Arrays.copyOf(contents, grown);
      weights = Arrays.copyOf(weights, grown);
      otherRoles = Arrays.copyOf(otherRoles, grown);
      weightTexts = Arrays.copyOf(weightTexts, grown);
      raws = Arrays.copyOf(raws, grown);
      utf8Lengths = Arrays.copyOf(utf8Lengths, grown);
      toolCalls = Arrays.copyOf(toolCalls, grown);
      toolCallIds = Arrays.copyOf(toolCallIds, grown);
      toolNames = Arrays.copyOf(toolNames, grown);
    }
    boolean fromJson = content >= 0 && content == lastText;
    raws[size] = fromJson ? lastRaw : NO_RAW;
    utf8Lengths[size] = fromJson ? lastUtf8Length : -1;
    roles[size] = role;
    otherRoles[size] = otherRole;
    contents[size] = content;
    weights[size] = weight;
    weightTexts[size] = weightText;
    toolCalls[size] = null;
    toolCallIds[size] = null;
    toolNames[size] = null;
    usesTools |= role == TOOL;
    size++;
  }

  /** The calls of message {@code i}, which {@link #callsTools} says it makes. */
  List<ToolCall> toolCalls(int i) {
    List<ToolCall> calls = toolCalls[i];
    return calls == null ? List.of() : calls;
  }

  /** The text of a span of the buffer. */
  String spanText(long span) {
    return new String(text, start(span), length(span));
  }

  /** Gives the message added last its calls (an assistant's) or what it answers (a tool's). */
  void setToolUse(
      @Nullable List<ToolCall> calls, @Nullable String toolCallId, @Nullable String toolName) {
    toolCalls[size - 1] = calls;
    toolCallIds[size - 1] = toolCallId;
    toolNames[size - 1] = toolName;
    usesTools |= calls != null;
  }

  /** The row's declared function schemas, in OpenAI's form. */
  void setTools(List<Map<String, Object>> declared) {
    tools = declared;
    usesTools |= !declared.isEmpty();
  }

  /** Notes a problem of the row's tool use; the first one counts. */
  void toolProblem(String problem) {
    if (toolProblem == null) {
      toolProblem = problem;
    }
  }

  @Nullable String toolProblem() {
    return toolProblem;
  }

  @Override
  public boolean usesTools() {
    return usesTools;
  }

  @Override
  public boolean callsTools(int i) {
    return toolCalls[i] != null;
  }

  /**
   * The first problem with how the row's messages use tools ({@link ToolCalls#check}), or null;
   * every message must have text content.
   */
  @Nullable String checkToolUse() {
    if (!usesTools) {
      return null;
    }
    List<ChatMessage> messages = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      messages.add(
          new ChatMessage(
              ROLE_TEXTS[roles[i]],
              text(i),
              true,
              toolCalls[i] == null ? List.of() : toolCalls[i],
              toolCallIds[i],
              toolNames[i]));
    }
    return ToolCalls.check(messages, tools);
  }

  void add(byte role, long content) {
    add(role, null, content, NO_WEIGHT, null);
  }

  /** Puts a message before all others. */
  void prepend(byte role, long content) {
    add(role, content);
    int last = size - 1;
    System.arraycopy(roles, 0, roles, 1, last);
    System.arraycopy(contents, 0, contents, 1, last);
    System.arraycopy(weights, 0, weights, 1, last);
    System.arraycopy(otherRoles, 0, otherRoles, 1, last);
    System.arraycopy(weightTexts, 0, weightTexts, 1, last);
    long raw = raws[last];
    int utf8Length = utf8Lengths[last];
    System.arraycopy(raws, 0, raws, 1, last);
    System.arraycopy(utf8Lengths, 0, utf8Lengths, 1, last);
    raws[0] = raw;
    utf8Lengths[0] = utf8Length;
    roles[0] = role;
    contents[0] = content;
    weights[0] = NO_WEIGHT;
    otherRoles[0] = null;
    weightTexts[0] = null;
    System.arraycopy(toolCalls, 0, toolCalls, 1, last);
    System.arraycopy(toolCallIds, 0, toolCallIds, 1, last);
    System.arraycopy(toolNames, 0, toolNames, 1, last);
    toolCalls[0] = null;
    toolCallIds[0] = null;
    toolNames[0] = null;
  }

  /** The text of message {@code i}, which must have text content. */
  @Override
  public String text(int i) {
    return new String(text, start(contents[i]), length(contents[i]));
  }

  @Override
  public char[] chars() {
    return text;
  }

  /** Where message {@code i}'s text starts in {@link #chars()}; it must have text content. */
  @Override
  public int textStart(int i) {
    return start(contents[i]);
  }

  @Override
  public int textLength(int i) {
    return length(contents[i]);
  }

  /** Gives message {@code i} new text (redaction); the old text stays in the buffer unused. */
  @Override
  public void replaceText(int i, String replacement) {
    contents[i] = append(replacement.toCharArray(), 0, replacement.length());
    raws[i] = NO_RAW;
    utf8Lengths[i] = -1;
  }

  /** The UTF-8 length of message {@code i}'s text when its JSON string told it, else -1. */
  @Override
  public int utf8Length(int i) {
    return utf8Lengths[i];
  }

  /** The bytes holding the JSON strings of the row being read; see {@link #jsonStart}. */
  byte @Nullable [] source() {
    return source;
  }

  /**
   * Where in {@link #source()} message {@code i}'s text is as a JSON string, without its quotes; -1
   * when there is no such string (redacted, or made here) or it holds a surrogate.
   */
  int jsonStart(int i) {
    return raws[i] == NO_RAW ? -1 : start(raws[i]);
  }

  int jsonLength(int i) {
    return length(raws[i]);
  }

  /** Copies {@code value} into the buffer and returns its span. */
  long copyText(String value) {
    return append(value.toCharArray(), 0, value.length());
  }

  /** Copies the parser's current string value into the buffer and returns its span. */
  long copyText(JsonParser p) {
    long span = append(p.getStringCharacters(), p.getStringOffset(), p.getStringLength());
    if (source != null) {
      lastRaw =
          rawSpan(
              source,
              sourceStart + (int) p.currentTokenLocation().getByteOffset(),
              sourceStart + (int) p.currentLocation().getByteOffset() - 1);
      lastText = lastRaw == NO_RAW ? NO_RAW : span;
    }
    return span;
  }

  /** The char of the valid {@code \\uXXXX} escape at {@code at}. */
  static char unicodeEscape(byte[] json, int at) {
    return (char)
        (Character.digit(json[at + 2], 16) << 12
            | Character.digit(json[at + 3], 16) << 8
            | Character.digit(json[at + 4], 16) << 4
            | Character.digit(json[at + 5], 16));
  }

  /**
   * Decodes the JSON string whose opening quote is at {@code open} in {@link #source} into the text
   * buffer, for {@link FastChatRows}; its span, or {@link #MISSING} when the string is not one this
   * decodes (a control character, a 4-byte code point, an escaped surrogate, an invalid escape, no
   * closing quote before {@code limit}): then the row is read by Jackson instead. {@link #jsonEnd}
   * is set to the index after the closing quote.
   */
  long decodeJsonString(int open, int limit) {
    byte[] bytes = source;
    if (bytes == null || open >= limit || bytes[open] != '"') {
      return MISSING;
    }
    if (textLength + (limit - open) > text.length) {
      text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + (limit - open)));
    }
    char[] out = text;
    int o = textLength;
    int i = open + 1;
    // How many bytes fewer the text's UTF-8 takes than its escapes.
    int shrink = 0;
    while (true) {
      int plain = JsonBytes.nextNonPlainInString(bytes, i, limit);
      for (int k = i; k < plain; k++) {
        out[o + k - i] = (char) bytes[k];
      }
      o += plain - i;
      i = plain;
      if (i >= limit) {
        return MISSING;
      }
      int b = bytes[i];
      if (b == '"') {
        break;
      } else if (b == '\\') {
        if (i + 1 >= limit) {
          return MISSING;
        }
        char c;
        switch (bytes[i + 1]) {
          case '"' -> c = '"';
          case '\\' -> c = '\\';
          case '/' -> c = '/';
          case 'b' -> c = '\b';
          case 'f' -> c = '\f';
          case 'n' -> c = '\n';
          case 'r' -> c = '\r';
          case 't' -> c = '\t';
          case 'u' -> {
            if (i + 5 >= limit
                || !hex(bytes[i + 2])
                || !hex(bytes[i + 3])
                || !hex(bytes[i + 4])
                || !hex(bytes[i + 5])) {
              return MISSING;
            }
            c = unicodeEscape(bytes, i);
            if (Character.isSurrogate(c)) {
              return MISSING;
            }
            shrink += 4;
            i += 4;
          }
          default -> {
            return MISSING;
          }
        }
        out[o++] = c;
        shrink += 2 - utf8Bytes(c);
        i += 2;
      } else if (b < 0 && (b & 0xE0) == 0xC0) {
        // The line is well-formed UTF-8, so a lead byte's continuation bytes are there.
        out[o++] = (char) ((b & 0x1F) << 6 | (bytes[i + 1] & 0x3F));
        i += 2;
      } else if (b < 0 && (b & 0xF0) == 0xE0) {
        out[o++] = (char) ((b & 0x0F) << 12 | (bytes[i + 1] & 0x3F) << 6 | (bytes[i + 2] & 0x3F));
        i += 3;
      } else {
        return MISSING;
      }
    }
    long span = span(textLength, o - textLength);
    textLength = o;
    jsonEnd = i + 1;
    lastText = span;
    lastRaw = span(open + 1, i - open - 1);
    lastUtf8Length = i - open - 1 - shrink;
    return span;
  }

  /** After {@link #decodeJsonString}: the index after the string's closing quote. */
  int jsonEnd() {
    return jsonEnd;
  }

  private static boolean hex(byte b) {
    return Character.digit(b, 16) >= 0;
  }

  /**
   * The bytes between the quotes at {@code open} and {@code close}, a string the parser has read,
   * unless it holds a surrogate: a 4-byte code point or a {@code \\u} escape of one, whose writing
   * the canonical writer leaves to Jackson. Sets the text's UTF-8 length.
   */
  private long rawSpan(byte[] bytes, int open, int close) {
    if (open < 0
        || close <= open
        || close >= bytes.length
        || bytes[open] != '"'
        || bytes[close] != '"') {
      return NO_RAW;
    }
    int shrink = 0;
    int i = JsonBytes.nextBackslashOrFourByteLead(bytes, open + 1, close);
    while (i < close) {
      if (bytes[i] != '\\') {
        return NO_RAW;
      }
      if (bytes[i + 1] == 'u') {
        char c = unicodeEscape(bytes, i);
        if (Character.isSurrogate(c)) {
          return NO_RAW;
        }
        shrink += 6 - utf8Bytes(c);
        i += 4;
      } else {
        shrink += 1;
      }
      i = JsonBytes.nextBackslashOrFourByteLead(bytes, i + 2, close);
    }
    lastUtf8Length = close - open - 1 - shrink;
    return span(open + 1, close - open - 1);
  }

  /** The UTF-8 bytes of a char that is not a surrogate. */
  private static int utf8Bytes(char c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }

  /** A new span holding {@code first}, {@code separator} and {@code second} in a row. */
  long concat(long first, String separator, long second) {
    int start = textLength;
    append(text, start(first), length(first));
    append(separator.toCharArray(), 0, separator.length());
    append(text, start(second), length(second));
    return span(start, textLength - start);
  }

  static int length(long span) {
    return (int) span;
  }

  private static int start(long span) {
    return (int) (span >>> 32);
  }

  private static long span(int start, int length) {
    return ((long) start << 32) | length;
  }

  private long append(char[] chars, int offset, int length) {
    lastText = NO_RAW;
    if (textLength + length > text.length) {
      // When chars is the old buffer (concat), it still holds the text being copied.
      text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + length));
    }
    System.arraycopy(chars, offset, text, textLength, length);
    long span = span(textLength, length);
    textLength += length;
    return span;
  }

  /** A 64-bit FNV-1a hash of the roles, weights and texts: equal rows, equal fingerprints. */
  long fingerprint() {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < size; i++) {
      h = (h ^ roles[i]) * 0x100000001b3L;
      h = (h ^ (weights[i] & 0xFF)) * 0x100000001b3L;
      int start = start(contents[i]);
      int end = start + length(contents[i]);
      for (int j = start; j < end; j++) {
        h = (h ^ text[j]) * 0x100000001b3L;
      }
      h = (h ^ 0x1F) * 0x100000001b3L;
      if (usesTools) {
        h = mix(h, String.valueOf(toolCalls[i]) + toolCallIds[i] + toolNames[i]);
      }
    }
    return usesTools ? mix(h, tools.toString()) : h;
  }

  private static long mix(long h, String text) {
    for (int j = 0; j < text.length(); j++) {
      h = (h ^ text.charAt(j)) * 0x100000001b3L;
    }
    return h;
  }

  @SuppressWarnings("unchecked")
  private static @Nullable List<ToolCall>[] newCallArray(int size) {
    return (List<ToolCall>[]) new List<?>[size];
  }

  /**
   * Writes the row as one canonical chat JSONL line; every message must be valid. Tool use is
   * written as OpenAI writes it: {@code tool_calls} with arguments as a JSON string, {@code
   * tool_call_id} and {@code name} on tool results, {@code tools} after the messages.
   */
  void writeTo(JsonGenerator out) {
    out.writeStartObject();
    out.writeName(MESSAGES);
    out.writeStartArray();
    for (int i = 0; i < size; i++) {
      out.writeStartObject();
      out.writeName(ROLE);
      out.writeString(ROLE_NAMES[roles[i]]);
      out.writeName(CONTENT);
      out.writeString(text, start(contents[i]), length(contents[i]));
      if (weights[i] != NO_WEIGHT) {
        out.writeName(WEIGHT);
        out.writeNumber(weights[i]);
      }
      if (toolCalls[i] != null) {
        out.writeName(TOOL_CALLS);
        out.writeRawValue(ToolCalls.toJson(toolCalls[i]).toString());
      }
      if (toolCallIds[i] != null) {
        out.writeName(TOOL_CALL_ID);
        out.writeString(toolCallIds[i]);
      }
      if (toolNames[i] != null) {
        out.writeName(NAME);
        out.writeString(toolNames[i]);
      }
      out.writeEndObject();
    }
    out.writeEndArray();
    if (!tools.isEmpty()) {
      out.writeName(TOOLS);
      out.writeRawValue(JSON.writeValueAsString(tools));
    }
    out.writeEndObject();
    out.writeRaw('\n');
  }
}
