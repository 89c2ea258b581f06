package dev.tuneforge.app.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gathers a {@link QualityReport} row by row in the normaliser's pass. Memory is bounded: one
 * 64-bit hash per distinct row for exact duplicates, and for near duplicates a SimHash per row in
 * at most {@link #BUCKET_CAPACITY} entries of each of 4 × 65,536 band buckets.
 */
final class QualityAnalyzer {
  static final int[] TOKEN_LIMITS = {512, 1024, 2048, 4096};
  static final int NEAR_DUPLICATE_BITS = 3;
  static final int SHINGLE = 5;
  static final int BUCKET_CAPACITY = 32;
  static final int MAX_KEYS = 100;
  static final int EXAMPLE_LINES = 5;
  private static final long[] HISTOGRAM = {128, 256, 512, 1024, 2048, 4096, 8192, Long.MAX_VALUE};
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long FNV_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  /** Per ASCII character: its lower case when it is a word character ({@code \\w}), else 0. */
  private static final char[] WORD_CHARS = new char[128];

  static {
    for (char c = 0; c < 128; c++) {
      boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
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
  private final Map<PersonalDataScanner.Kind, int[]> personal = new EnumMap<>(PersonalDataScanner.Kind.class);
  private final Map<PersonalDataScanner.Kind, List<Integer>> personalLines =
      new EnumMap<>(PersonalDataScanner.Kind.class);
  private final SimHash simHash = new SimHash();
  private int personalInRow;
  /** The UTF-8 length of the text last given to {@link #hashAndShingle}. */
  private long textBytes;
  private int rows;
  private int exact;
  private int near;
  private int emptyTurns;
  private int rowsWithEmptyTurn;
  private int withoutAssistant;
  private long maxRowTokens;
  private int jsonAnswers;

  QualityAnalyzer(boolean redact, int maxTokens) {
    this.redact = redact;
    this.maxTokens = maxTokens;
  }

  /** Counts a dropped row; only rows without an assistant turn are figures of the report. */
  void dropped(String problem) {
    if (problem.endsWith(" to learn from")) {
      withoutAssistant++;
    }
  }

  /** Redacts {@code row} in place when asked, then counts it. */
  void accept(Conversation row, int line) {
    rows++;
    long bytes = 0;
    long exactHash = FNV_BASIS;
    simHash.clear();
    personalInRow = 0;
    boolean emptyTurn = false;
    int lastAssistant = -1;
    for (int i = 0; i < row.size(); i++) {
      // Message text stays in the row's char buffer: a String is only made for the rare text
      // in which personal data may be.
      if (PersonalDataScanner.mayContain(row.chars(), row.textStart(i), row.textLength(i))) {
        String text = row.text(i);
        String scanned = PersonalDataScanner.scan(text, redact, kind -> found(kind, line));
        if (redact && !scanned.equals(text)) {
          row.replaceText(i, scanned);
        }
      }
      char[] text = row.chars();
      int start = row.textStart(i);
      int end = start + row.textLength(i);
      if (firstNonWhitespace(text, start, end) == end) {
        emptyTurns++;
        emptyTurn = true;
      }
      if (row.role(i) == Conversation.ASSISTANT) {
        lastAssistant = i;
      }
      exactHash = hashAndShingle(exactHash * 31 + row.role(i), text, start, end);
      bytes += textBytes;
    }
    rowsWithEmptyTurn += emptyTurn ? 1 : 0;
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
   * Continues the row's exact hash (FNV-1a over the chars) with the text and, in the same pass,
   * counts its UTF-8 bytes into {@link #textBytes} and adds its word 5-shingles, lower-cased, to the
   * row's SimHash; a text of fewer words is one shingle. Words are runs of {@code [A-Za-z0-9_]}
   * (regex {@code \\w}), hashed as they are read: no split, no substrings; the four words before
   * the current one are kept in locals.
   */
  private long hashAndShingle(long seed, char[] text, int start, int end) {
    long h = seed;
    long word = FNV_BASIS;
    boolean inWord = false;
    int words = 0;
    long w1 = 0;
    long w2 = 0;
    long w3 = 0;
    long w4 = 0;
    long bytes = 0;
    boolean surrogates = false;
    for (int i = start; i <= end; i++) {
      int lower = 0;
      if (i < end) {
        char c = text[i];
        h = (h ^ c) * FNV_PRIME;
        if (c < 128) {
          bytes++;
          lower = WORD_CHARS[c];
        } else {
          bytes += c < 0x800 ? 2 : 3;
          surrogates |= Character.isHighSurrogate(c);
        }
      }
      if (lower != 0) {
        word = (word ^ lower) * FNV_PRIME;
        inWord = true;
      } else if (inWord) {
        if (++words >= SHINGLE) {
          simHash.add(mix(shingle(shingle(shingle(shingle(shingle(FNV_BASIS, w1), w2), w3), w4), word)));
        }
        w1 = w2;
        w2 = w3;
        w3 = w4;
        w4 = word;
        word = FNV_BASIS;
        inWord = false;
      }
    }
    if (words > 0 && words < SHINGLE) {
      long[] last = {w1, w2, w3, w4};
      long shingle = FNV_BASIS;
      for (int w = SHINGLE - 1 - words; w < last.length; w++) {
        shingle = shingle(shingle, last[w]);
      }
      simHash.add(mix(shingle));
    }
    textBytes = surrogates ? utf8Length(text, start, end) : bytes;
    return h;
  }

  private static long shingle(long h, long word) {
    return ((h * 31 + 1) ^ word) * FNV_PRIME;
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
          buckets[bucket] = entries = entries == null ? new long[4] : Arrays.copyOf(entries, size * 2);
        }
        entries[size] = fingerprint;
        bucketSizes[bucket] = size + 1;
      }
    }
    return found;
  }

  QualityReport report() {
    List<QualityReport.Bucket> buckets = new ArrayList<>();
    long previous = 0;
    for (int b = 0; b < HISTOGRAM.length; b++) {
      String label = HISTOGRAM[b] == Long.MAX_VALUE ? ">" + previous : "≤" + HISTOGRAM[b];
      buckets.add(new QualityReport.Bucket(label, HISTOGRAM[b] == Long.MAX_VALUE ? -1 : HISTOGRAM[b], histogram[b]));
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
    personal.forEach((kind, counts) ->
        found.add(new QualityReport.PersonalData(kind.name(), counts[0], counts[1], List.copyOf(personalLines.get(kind)))));
    return new QualityReport(rows, exact, near, emptyTurns, rowsWithEmptyTurn, withoutAssistant, List.copyOf(buckets),
        overLimits, maxTokens, maxRowTokens, jsonAnswers, presence, List.copyOf(found), redact);
  }

  /** The splitmix64 finaliser: spreads FNV's weak low bits over the whole word. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long utf8Length(char[] text, int start, int end) {
    long n = 0;
    for (int i = start; i < end; i++) {
      char c = text[i];
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
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
