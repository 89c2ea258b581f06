package dev.tuneforge.app.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private final boolean redact;
  private final int maxTokens;
  private final Set<Long> seen = new HashSet<>();
  private final long[][] buckets = new long[4 << 16][];
  private final int[] bucketSizes = new int[4 << 16];
  private final int[] histogram = new int[HISTOGRAM.length];
  private final int[] over = new int[TOKEN_LIMITS.length];
  private final Map<String, Integer> keys = new LinkedHashMap<>();
  private final Map<PersonalDataScanner.Kind, int[]> personal = new EnumMap<>(PersonalDataScanner.Kind.class);
  private final Map<PersonalDataScanner.Kind, List<Integer>> personalLines =
      new EnumMap<>(PersonalDataScanner.Kind.class);
  private final List<Long> shingles = new ArrayList<>();
  private long[] wordHashes = new long[256];
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
    long exactHash = 0xcbf29ce484222325L;
    shingles.clear();
    boolean emptyTurn = false;
    String lastAssistant = null;
    EnumMap<PersonalDataScanner.Kind, Boolean> inRow = new EnumMap<>(PersonalDataScanner.Kind.class);
    for (int i = 0; i < row.size(); i++) {
      String text = row.text(i);
      String scanned = PersonalDataScanner.scan(text, redact, kind -> found(kind, line, inRow));
      if (redact && !scanned.equals(text)) {
        row.replaceText(i, scanned);
        text = scanned;
      }
      if (text.isBlank()) {
        emptyTurns++;
        emptyTurn = true;
      }
      if (row.role(i) == Conversation.ASSISTANT) {
        lastAssistant = text;
      }
      bytes += utf8Length(text);
      exactHash = hash(exactHash * 31 + row.role(i), text);
      shingle(text);
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
    } else if (nearDuplicate(simHash())) {
      near++;
    }
    if (lastAssistant != null) {
      json(lastAssistant);
    }
  }

  private void found(PersonalDataScanner.Kind kind, int line, Map<PersonalDataScanner.Kind, Boolean> inRow) {
    int[] counts = personal.computeIfAbsent(kind, k -> new int[2]);
    counts[0]++;
    if (inRow.put(kind, Boolean.TRUE) == null) {
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
   * Word 5-shingles of the row's text, lower-cased; a text of fewer words is one shingle. Words are
   * runs of {@code [A-Za-z0-9_]} (regex {@code \\w}), hashed as they are read: no split, no substrings.
   */
  private void shingle(String text) {
    int count = 0;
    long word = 0;
    boolean inWord = false;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      if (isWordChar(c)) {
        char lower = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        word = inWord ? (word ^ lower) * 0x100000001b3L : (0xcbf29ce484222325L ^ lower) * 0x100000001b3L;
        inWord = true;
      } else if (inWord) {
        if (count == wordHashes.length) {
          wordHashes = java.util.Arrays.copyOf(wordHashes, count * 2);
        }
        wordHashes[count++] = word;
        inWord = false;
      }
    }
    if (count == 0) {
      return;
    }
    int shingleCount = Math.max(1, count - SHINGLE + 1);
    for (int s = 0; s < shingleCount; s++) {
      long h = 0xcbf29ce484222325L;
      for (int w = s; w < Math.min(count, s + SHINGLE); w++) {
        h = (h * 31 + 1) ^ wordHashes[w];
        h *= 0x100000001b3L;
      }
      shingles.add(mix(h));
    }
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private long simHash() {
    int[] weights = new int[64];
    for (long h : shingles) {
      for (int bit = 0; bit < 64; bit++) {
        weights[bit] += ((h >>> bit) & 1) == 1 ? 1 : -1;
      }
    }
    long fingerprint = 0;
    for (int bit = 0; bit < 64; bit++) {
      fingerprint |= weights[bit] > 0 ? 1L << bit : 0;
    }
    return fingerprint;
  }

  /**
   * Whether an earlier row's SimHash is within {@link #NEAR_DUPLICATE_BITS} bits; such a pair
   * agrees on at least one of the four 16-bit bands, so only those buckets are searched.
   */
  private boolean nearDuplicate(long fingerprint) {
    if (shingles.isEmpty()) {
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

  private static long hash(long seed, String text) {
    long h = seed;
    for (int i = 0; i < text.length(); i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** The splitmix64 finaliser: spreads FNV's weak low bits over the whole word. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
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
}
