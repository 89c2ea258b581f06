package dev.tuneforge.app.dataset.quality;

import dev.tuneforge.app.dataset.QualityReport;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gathers a {@link QualityReport} row by row in the normaliser's pass. Memory is bounded: one
 * 64-bit hash per distinct row for exact duplicates, and for near duplicates a SimHash per row in
 * at most {@link #BUCKET_CAPACITY} entries of each of 4 × 65,536 band buckets.
 */
public final class QualityAnalyzer {
  static final int[] TOKEN_LIMITS = {512, 1024, 2048, 4096};
  static final int NEAR_DUPLICATE_BITS = 3;
  static final int SHINGLE = 5;
  static final int BUCKET_CAPACITY = 32;
  static final int MAX_KEYS = 100;
  static final int EXAMPLE_LINES = 5;
  private static final long[] HISTOGRAM = {128, 256, 512, 1024, 2048, 4096, 8192, Long.MAX_VALUE};
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long FNV_BASIS = 0xcbf29ce484222325L;

  /** An odd constant with bits spread over the whole word (2^64 divided by the golden ratio). */
  private static final long HASH_MULTIPLIER = 0x9e3779b97f4a7c15L;

  /**
   * Chars a shingling step reads before it hashes the words that ended in them; at most {@link
   * PersonalDataScanner#CHUNK}, since the pre-scan's counters are clamped once a step.
   */
  private static final int SHINGLE_CHUNK = 4096;

  /**
   * Per Latin-1 character: its lower case when it is a word character ({@code \\w}, ASCII only),
   * else 0; every char above U+00FF is looked up as U+00FF, which is not one.
   */
  private static final char[] WORD_CHARS = new char[256];

  static {
    for (char c = 0; c < 128; c++) {
      boolean word =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      WORD_CHARS[c] = word ? Character.toLowerCase(c) : 0;
    }
  }

  private final boolean redact;
  private final int maxTokens;
  private final RowHashSet seen = new RowHashSet();
  private final long[][] buckets = new long[4 << 16][];
  private final int[] bucketSizes = new int[4 << 16];
  private final int[] histogram = new int[HISTOGRAM.length];
  private final int[] over = new int[TOKEN_LIMITS.length];
  private final Map<String, Integer> keys = new LinkedHashMap<>();
  private final Map<PersonalDataScanner.Kind, int[]> personal =
      new EnumMap<>(PersonalDataScanner.Kind.class);
  private final Map<PersonalDataScanner.Kind, List<Integer>> personalLines =
      new EnumMap<>(PersonalDataScanner.Kind.class);
  private final SimHash simHash = new SimHash();

  /** The packed words that ended in one chunk of text (a word ends at the char after it). */
  private final long[] wordEnds = new long[SHINGLE_CHUNK / 2 + 2];

  private int personalInRow;
  private int placeholderRows;
  private final List<QualityReport.Placeholders.Example> placeholders = new ArrayList<>();

  /** Whether {@link PersonalDataScanner#scan} may find something in the text last shingled. */
  private boolean mayHavePersonalData;

  private int rows;
  private int exact;
  private int near;
  private int emptyTurns;
  private int rowsWithEmptyTurn;
  private int toolCallRows;
  private int withoutAssistant;
  private long maxRowTokens;
  private int jsonAnswers;

  public QualityAnalyzer(boolean redact, int maxTokens) {
    this.redact = redact;
    this.maxTokens = maxTokens;
  }

  /** Counts a dropped row; only rows without an assistant turn are figures of the report. */
  public void dropped(String problem) {
    if (problem.endsWith(" to learn from")) {
      withoutAssistant++;
    }
  }

  /** {@code text} with its personal data replaced by placeholders, as redacted rows have it. */
  public static String redacted(String text) {
    return PersonalDataScanner.scan(text, true, kind -> {});
  }

  /** Redacts {@code row} in place when asked, then counts it. */
  public void accept(RowMessages row, int line) {
    rows++;
    long bytes = 0;
    long exactHash = FNV_BASIS;
    simHash.clear();
    personalInRow = 0;
    boolean emptyTurn = false;
    boolean placeholder = false;
    int lastAssistant = -1;
    for (int i = 0; i < row.size(); i++) {
      int shingles = simHash.features();
      long seed = exactHash * 31 + row.role(i);
      long hash =
          hashAndShingle(seed, row.chars(), row.textStart(i), row.textStart(i) + row.textLength(i));
      // Message text stays in the row's char buffer: a String is only made for the rare text
      // in which personal data may be; redacted text is hashed and shingled again.
      if (mayHavePersonalData) {
        String text = row.text(i);
        String scanned = PersonalDataScanner.scan(text, redact, kind -> found(kind, line));
        if (redact && !scanned.equals(text)) {
          row.replaceText(i, scanned);
          simHash.truncate(shingles);
          hash =
              hashAndShingle(
                  seed, row.chars(), row.textStart(i), row.textStart(i) + row.textLength(i));
        }
      }
      exactHash = hash;
      int utf8Length = row.utf8Length(i);
      bytes +=
          utf8Length >= 0
              ? utf8Length
              : utf8Length(row.chars(), row.textStart(i), row.textLength(i));
      char[] text = row.chars();
      int start = row.textStart(i);
      int end = start + row.textLength(i);
      if (!placeholder && PlaceholderScanner.mayContain(text, start, end)) {
        placeholder = placeholder(CharBuffer.wrap(text, start, end - start), line);
      }
      if (firstNonWhitespace(text, start, end) == end && !row.callsTools(i)) {
        emptyTurns++;
        emptyTurn = true;
      }
      if (row.assistant(i)) {
        lastAssistant = i;
      }
    }
    rowsWithEmptyTurn += emptyTurn ? 1 : 0;
    toolCallRows += row.usesTools() ? 1 : 0;
    long tokens = bytes / 4;
    maxRowTokens = Math.max(maxRowTokens, tokens);
    for (int b = 0; b < HISTOGRAM.length; b++) {
      if (tokens <= HISTOGRAM[b]) {
        histogram[b]++;
        break;
      }
    }
    for (int l = 0; l < TOKEN_LIMITS.length; l++) {
      over[l] += tokens > TOKEN_LIMITS[l] ? 1 : 0;
    }
    if (!seen.add(mix(exactHash))) {
      exact++;
    } else if (nearDuplicate(simHash.value())) {
      near++;
    }
    if (lastAssistant >= 0) {
      char[] text = row.chars();
      int start = row.textStart(lastAssistant);
      int end = start + row.textLength(lastAssistant);
      int first = firstNonWhitespace(text, start, end);
      if (first < end && text[first] == '{') {
        json(new String(text, first, end - first));
      }
    }
  }

  /** Counts the row when the text holds a placeholder; keeps the first few as examples. */
  private boolean placeholder(CharSequence text, int line) {
    Optional<String> found = PlaceholderScanner.find(text);
    if (found.isEmpty()) {
      return false;
    }
    placeholderRows++;
    if (placeholders.size() < EXAMPLE_LINES) {
      placeholders.add(new QualityReport.Placeholders.Example(line, found.get()));
    }
    return true;
  }

  private void found(PersonalDataScanner.Kind kind, int line) {
    int[] counts = personal.computeIfAbsent(kind, k -> new int[2]);
    counts[0]++;
    int bit = 1 << kind.ordinal();
    if ((personalInRow & bit) == 0) {
      personalInRow |= bit;
      counts[1]++;
      List<Integer> lines = personalLines.computeIfAbsent(kind, k -> new ArrayList<>());
      if (lines.size() < EXAMPLE_LINES) {
        lines.add(line);
      }
    }
  }

  private void json(String answer) {
    String trimmed = answer.strip();
    if (!trimmed.startsWith("{")) {
      return;
    }
    try {
      JsonNode node = JSON.readTree(trimmed);
      if (!node.isObject()) {
        return;
      }
      jsonAnswers++;
      for (String key : node.propertyNames()) {
        if (keys.containsKey(key) || keys.size() < MAX_KEYS) {
          keys.merge(key, 1, Integer::sum);
        }
      }
    } catch (JacksonException e) {
      // Not JSON: the row is counted as a non-JSON answer.
    }
  }

  /**
   * Continues the row's exact hash with the text and adds its word 5-shingles, lower-cased, to the
   * row's SimHash (a text of fewer words is one shingle). The exact hash takes four chars at a
   * time, packed into one long, with a multiply-xor step (a bijection per step, so texts of one
   * length that differ in one place never collide) and the text's length mixed in at the end.
   */
  private long hashAndShingle(long seed, char[] text, int start, int end) {
    long h = seed;
    int i = start;
    for (; i + 4 <= end; i += 4) {
      h =
          (h
                  ^ (text[i]
                      | (long) text[i + 1] << 16
                      | (long) text[i + 2] << 32
                      | (long) text[i + 3] << 48))
              * HASH_MULTIPLIER;
    }
    for (; i < end; i++) {
      h = (h ^ text[i]) * HASH_MULTIPLIER;
    }
    shingle(text, start, end);
    return mix(h ^ (end - start));
  }

  /**
   * The UTF-8 length of text whose JSON string did not tell it (redacted, or made from other
   * formats), four chars at a time: beyond the first byte of each char, 1 from U+0080, 2 from
   * U+0800, and 1 less for each surrogate, so that a pair (one 4-byte code point) counts 4.
   */
  static long utf8Length(char[] text, int start, int length) {
    int end = start + length;
    long bytes = length;
    int i = start;
    for (; i + 4 <= end; i += 4) {
      long w =
          text[i] | (long) text[i + 1] << 16 | (long) text[i + 2] << 32 | (long) text[i + 3] << 48;
      bytes +=
          nonZeroChars(w & 0xFF80_FF80_FF80_FF80L)
              + nonZeroChars(w & 0xF800_F800_F800_F800L)
              - (4 - nonZeroChars((w & 0xF800_F800_F800_F800L) ^ 0xD800_D800_D800_D800L));
    }
    for (; i < end; i++) {
      char c = text[i];
      bytes += ((0x7F - c) >>> 31) + ((0x7FF - c) >>> 31) - ((((c & 0xF800) ^ 0xD800) - 1) >>> 31);
    }
    return bytes;
  }

  /** How many of the four 16-bit lanes of {@code lanes} are not zero. */
  private static int nonZeroChars(long lanes) {
    long low = 0x7FFF_7FFF_7FFF_7FFFL;
    return Long.bitCount(((lanes & low) + low | lanes) & ~low);
  }

  /**
   * Adds the text's word 5-shingles (one shingle for a text of fewer words) to the row's SimHash
   * and, reading each char once for both, runs the personal-data pre-scan into {@link
   * #mayHavePersonalData}. Words are runs of {@code [A-Za-z0-9_]} (regex {@code \\w}), lower-cased.
   * It works in chunks, in two steps: first each word is packed (7 bits a char, by rotation) and
   * stored as it ends, with no branch per char, since a branch at every word's start and end is
   * mispredicted; then each word is mixed once and a shingle is the exclusive or of five mixed
   * words, each rotated by its place.
   */
  private void shingle(char[] text, int start, int end) {
    long counters = 0;
    long found = 0;
    boolean at = false;
    long word = 0;
    long inWord = 0;
    int words = 0;
    long w1 = 0;
    long w2 = 0;
    long w3 = 0;
    long w4 = 0;
    int from = start;
    do {
      int to = Math.min(end, from + SHINGLE_CHUNK);
      long[] ended = wordEnds;
      int n = 0;
      for (int i = from; i < to; i++) {
        char c = text[i];
        counters = PersonalDataScanner.step(counters, c);
        found |= PersonalDataScanner.flags(counters);
        at |= c == '@';
        char lower = WORD_CHARS[Math.min(c, WORD_CHARS.length - 1)];
        long isWord = -(long) ((lower + 127) >>> 7);
        ended[n] = word;
        n += (int) (inWord & ~isWord) & 1;
        word = (Long.rotateLeft(word, 7) ^ lower) & isWord;
        inWord = isWord;
      }
      counters = PersonalDataScanner.clamp(counters);
      if (to == end) {
        ended[n] = word;
        n += (int) inWord & 1;
      }
      for (int k = 0; k < n; k++) {
        long mixed = mix(ended[k]);
        if (++words >= SHINGLE) {
          simHash.add(
              mixed
                  ^ Long.rotateLeft(w4, 13)
                  ^ Long.rotateLeft(w3, 26)
                  ^ Long.rotateLeft(w2, 39)
                  ^ Long.rotateLeft(w1, 52));
        }
        w1 = w2;
        w2 = w3;
        w3 = w4;
        w4 = mixed;
      }
      from = to;
    } while (from < end);
    if (words > 0 && words < SHINGLE) {
      simHash.add(
          mix(
              w4
                  ^ Long.rotateLeft(w3, 13)
                  ^ Long.rotateLeft(w2, 26)
                  ^ Long.rotateLeft(w1, 39)
                  ^ words));
    }
    mayHavePersonalData = PersonalDataScanner.mayContain(found, at);
  }

  /** The shingle features of one text, as a row's SimHash gets them: for tests. */
  long[] shingles(String text) {
    simHash.clear();
    shingle(text.toCharArray(), 0, text.length());
    return simHash.toArray();
  }

  /**
   * Whether an earlier row's SimHash is within {@link #NEAR_DUPLICATE_BITS} bits; such a pair
   * agrees on at least one of the four 16-bit bands, so only those buckets are searched.
   */
  private boolean nearDuplicate(long fingerprint) {
    if (simHash.features() == 0) {
      return false;
    }
    boolean found = false;
    for (int band = 0; band < 4 && !found; band++) {
      int bucket = band << 16 | (int) (fingerprint >>> (band * 16)) & 0xffff;
      long[] entries = buckets[bucket];
      for (int e = 0; e < bucketSizes[bucket] && !found; e++) {
        found = Long.bitCount(entries[e] ^ fingerprint) <= NEAR_DUPLICATE_BITS;
      }
    }
    for (int band = 0; band < 4 && !found; band++) {
      int bucket = band << 16 | (int) (fingerprint >>> (band * 16)) & 0xffff;
      int size = bucketSizes[bucket];
      if (size < BUCKET_CAPACITY) {
        long[] entries = buckets[bucket];
        if (entries == null || entries.length == size) {
          buckets[bucket] =
              entries = entries == null ? new long[4] : Arrays.copyOf(entries, size * 2);
        }
        entries[size] = fingerprint;
        bucketSizes[bucket] = size + 1;
      }
    }
    return found;
  }

  public QualityReport report() {
    List<QualityReport.Bucket> buckets = new ArrayList<>();
    long previous = 0;
    for (int b = 0; b < HISTOGRAM.length; b++) {
      String label = HISTOGRAM[b] == Long.MAX_VALUE ? ">" + previous : "≤" + HISTOGRAM[b];
      buckets.add(
          new QualityReport.Bucket(
              label, HISTOGRAM[b] == Long.MAX_VALUE ? -1 : HISTOGRAM[b], histogram[b]));
      previous = HISTOGRAM[b];
    }
    Map<Integer, Integer> overLimits = new LinkedHashMap<>();
    for (int l = 0; l < TOKEN_LIMITS.length; l++) {
      overLimits.put(TOKEN_LIMITS[l], over[l]);
    }
    Map<String, Integer> presence = new LinkedHashMap<>();
    keys.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> presence.put(e.getKey(), e.getValue()));
    List<QualityReport.PersonalData> found = new ArrayList<>();
    personal.forEach(
        (kind, counts) ->
            found.add(
                new QualityReport.PersonalData(
                    kind.name(), counts[0], counts[1], List.copyOf(personalLines.get(kind)))));
    return new QualityReport(
        rows,
        exact,
        near,
        emptyTurns,
        rowsWithEmptyTurn,
        withoutAssistant,
        List.copyOf(buckets),
        overLimits,
        maxTokens,
        maxRowTokens,
        jsonAnswers,
        presence,
        List.copyOf(found),
        redact,
        new QualityReport.Placeholders(placeholderRows, placeholders),
        toolCallRows);
  }

  /** The splitmix64 finaliser: spreads FNV's weak low bits over the whole word. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** As {@link String#isBlank} and {@link String#strip} see whitespace; {@code end} when all is. */
  private static int firstNonWhitespace(char[] text, int start, int end) {
    int i = start;
    while (i < end && Character.isWhitespace(text[i])) {
      i++;
    }
    return i;
  }
}
