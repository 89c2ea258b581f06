package dev.tuneforge.app.dataset.tokens;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Token counts of a byte-level BPE tokenizer (GPT-2's, Qwen's, Llama 3's) taken word by word: the
 * text is cut at its added tokens (one token each) and split into pre-tokens by the tokenizer's own
 * regular expression, and BPE never merges across pre-tokens, so a text's count is the sum of its
 * pre-tokens' counts, each tokenized once and remembered. Most words recur, so most of a text costs
 * a regular-expression match and a map look-up instead of a native BPE encoding. Only tokenizers
 * whose every step is known to be reproduced here are taken ({@link #of}); {@link
 * TokenLengthCounter} still compares samples with the native tokenizer.
 */
final class PreTokenCounts {
  /** Words remembered; the map starts afresh beyond this, which costs speed, never exactness. */
  static final int MAX_WORDS = 1 << 20;

  /** Text, in chars, from which a batch is cut into words on all cores rather than on one. */
  static final int PARALLEL_CHARS = 64 << 10;

  /** ByteLevel's own splitting, as the tokenizers library's byte_level.rs has it. */
  private static final String GPT2_SPLIT =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  /** Reads one value at a time from a parser that goes on past it. */
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Pattern split;
  private final boolean nfc;
  private final Map<Character, List<String>> addedByFirst;
  private final @Nullable String separator;

  /** The chars an added token starts with, as bits: most chars start none, told in one look. */
  private final long[] addedFirstChars = new long[1024];

  private final Map<String, Integer> words = new HashMap<>();

  private PreTokenCounts(Pattern split, boolean nfc, List<String> added) {
    this.split = split;
    this.nfc = nfc;
    Map<Character, List<String>> byFirst = new HashMap<>();
    for (String token : added) {
      byFirst.computeIfAbsent(token.charAt(0), c -> new ArrayList<>()).add(token);
    }
    byFirst.values().forEach(l -> l.sort(Comparator.comparingInt(String::length).reversed()));
    this.addedByFirst = byFirst;
    this.separator = added.isEmpty() ? null : added.getFirst();
    for (char c : byFirst.keySet()) {
      addedFirstChars[c >>> 6] |= 1L << c;
    }
  }

  /**
   * Counts for the tokenizer in {@code tokenizer.json}, or null when it is not one this class
   * reproduces: a normalizer other than none or NFC, a pre-tokenizer other than ByteLevel (with its
   * expression) or a regular-expression split isolating its matches before a ByteLevel without one,
   * a model other than BPE without dropout, or an added token matched other than as it is.
   */
  static @Nullable PreTokenCounts of(Path tokenizerJson) {
    ObjectNode root;
    try {
      root = steps(tokenizerJson);
    } catch (JacksonException e) {
      return null;
    }
    JsonNode normalizer = root.path("normalizer");
    boolean nfc = normalizer.path("type").asString("").equals("NFC");
    if (!normalizer.isNull() && !normalizer.isMissingNode() && !nfc) {
      return null;
    }
    JsonNode model = root.path("model");
    if (!model.path("type").asString("").equals("BPE")
        || !(model.path("dropout").isNull() || model.path("dropout").isMissingNode())) {
      return null;
    }
    String expression = expression(root.path("pre_tokenizer"));
    if (expression == null) {
      return null;
    }
    List<String> added = new ArrayList<>();
    for (JsonNode token : root.path("added_tokens")) {
      String content = token.path("content").asString("");
      if (content.isEmpty()
          || token.path("normalized").asBoolean(true)
          || token.path("lstrip").asBoolean(false)
          || token.path("rstrip").asBoolean(false)
          || token.path("single_word").asBoolean(false)) {
        return null;
      }
      added.add(content);
    }
    return new PreTokenCounts(
        Pattern.compile(expression, Pattern.UNICODE_CHARACTER_CLASS), nfc, added);
  }

  /**
   * The tokenizer's steps without the model's vocabulary and merges, which are most of the file and
   * not needed here.
   */
  private static ObjectNode steps(Path tokenizerJson) {
    ObjectNode root = JSON.createObjectNode();
    try (JsonParser parser = JSON.createParser(tokenizerJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return root;
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("model")) {
          ObjectNode model = root.putObject("model");
          while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("vocab") || field.equals("merges")) {
              parser.skipChildren();
            } else {
              model.set(field, JSON.readTree(parser));
            }
          }
        } else {
          root.set(name, JSON.readTree(parser));
        }
      }
    }
    return root;
  }

  private static @Nullable String expression(JsonNode pre) {
    String type = pre.path("type").asString("");
    if (type.equals("ByteLevel")) {
      return plainByteLevel(pre, true) ? GPT2_SPLIT : null;
    }
    JsonNode steps = pre.path("pretokenizers");
    if (!type.equals("Sequence") || steps.size() != 2 || !plainByteLevel(steps.get(1), false)) {
      return null;
    }
    JsonNode split = steps.get(0);
    boolean isolated =
        split.path("type").asString("").equals("Split")
            && split.path("behavior").asString("").equals("Isolated")
            && !split.path("invert").asBoolean(true);
    String regex = split.path("pattern").path("Regex").asString("");
    return isolated && !regex.isEmpty() ? regex : null;
  }

  private static boolean plainByteLevel(JsonNode node, boolean useRegex) {
    return node.path("type").asString("").equals("ByteLevel")
        && !node.path("add_prefix_space").asBoolean(true)
        && node.path("use_regex").asBoolean(true) == useRegex;
  }

  /**
   * An added token, which the tokenizer cuts texts at before anything else, so the words between
   * two of them are tokenized as each would be alone; null when the tokenizer has none.
   */
  @Nullable String separator() {
    return separator;
  }

  /**
   * The token count of each text; {@code encode} counts the words met for the first time (each on
   * its own, in one batch). A large batch's texts are cut into words on all cores: the map of known
   * words is only read meanwhile, and the words met for the first time are gathered afterwards, in
   * the texts' order.
   */
  int[] counts(String[] texts, Function<String[], int[]> encode) {
    int[] counts = new int[texts.length];
    @SuppressWarnings("unchecked")
    List<String>[] pieces = new List[texts.length];
    long chars = 0;
    for (String text : texts) {
      chars += text.length();
    }
    IntStream rows = IntStream.range(0, texts.length);
    if (chars >= PARALLEL_CHARS && texts.length > 1) {
      rows = rows.parallel();
    }
    rows.forEach(
        i -> {
          List<String> unknown = new ArrayList<>();
          counts[i] = known(texts[i], unknown);
          pieces[i] = unknown;
        });
    Map<String, Integer> missing = new HashMap<>();
    for (List<String> unknown : pieces) {
      for (String word : unknown) {
        missing.putIfAbsent(word, missing.size());
      }
    }
    if (!missing.isEmpty()) {
      String[] batch = new String[missing.size()];
      missing.forEach((word, at) -> batch[at] = word);
      int[] encoded = encode.apply(batch);
      if (words.size() + batch.length > MAX_WORDS) {
        words.clear();
      }
      for (int at = 0; at < batch.length; at++) {
        words.put(batch[at], encoded[at]);
      }
      for (int i = 0; i < texts.length; i++) {
        for (String word : pieces[i]) {
          counts[i] += encoded[missing.get(word)];
        }
      }
    }
    return counts;
  }

  /** Tokens of the text's added tokens and known words; the other words go to {@code unknown}. */
  private int known(String text, List<String> unknown) {
    int tokens = 0;
    int from = 0;
    for (int at = 0; at < text.length(); ) {
      String token = addedAt(text, at);
      if (token == null) {
        at++;
        continue;
      }
      tokens += words(text.substring(from, at), unknown) + 1;
      at += token.length();
      from = at;
    }
    return tokens + words(text.substring(from), unknown);
  }

  /** The longest added token at {@code at}, as the tokenizer's leftmost-longest match finds it. */
  private @Nullable String addedAt(String text, int at) {
    char c = text.charAt(at);
    if ((addedFirstChars[c >>> 6] & (1L << c)) == 0) {
      return null;
    }
    List<String> candidates = addedByFirst.get(c);
    if (candidates != null) {
      for (String token : candidates) {
        if (text.startsWith(token, at)) {
          return token;
        }
      }
    }
    return null;
  }

  private int words(String piece, List<String> unknown) {
    if (piece.isEmpty()) {
      return 0;
    }
    String text =
        nfc && !Normalizer.isNormalized(piece, Normalizer.Form.NFC)
            ? Normalizer.normalize(piece, Normalizer.Form.NFC)
            : piece;
    int tokens = 0;
    int at = 0;
    Matcher matcher = split.matcher(text);
    while (matcher.find()) {
      if (matcher.start() > at) {
        tokens += word(text.substring(at, matcher.start()), unknown);
      }
      if (matcher.end() > matcher.start()) {
        tokens += word(text.substring(matcher.start(), matcher.end()), unknown);
      }
      at = matcher.end();
    }
    if (at < text.length()) {
      tokens += word(text.substring(at), unknown);
    }
    return tokens;
  }

  private int word(String word, List<String> unknown) {
    Integer count = words.get(word);
    if (count == null) {
      unknown.add(word);
      return 0;
    }
    return count;
  }
}
