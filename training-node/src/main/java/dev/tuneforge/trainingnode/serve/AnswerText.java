package dev.tuneforge.trainingnode.serve;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer's text as tokens come: what can be streamed now, holding back an incomplete character
 * and any tail that may be the start of a stop string, and where a stop string ends it.
 */
final class AnswerText {

  private static final char INCOMPLETE = '\uFFFD';

  private final HuggingFaceTokenizer tokenizer;
  private final List<String> stops;
  private final List<Long> ids = new ArrayList<>();
  private String text = "";
  private int emitted;
  private boolean stopped;

  AnswerText(HuggingFaceTokenizer tokenizer, List<String> stops) {
    this.tokenizer = tokenizer;
    this.stops = stops;
  }

  /** Adds a token of the answer and returns the text that can be streamed now. */
  String add(long tokenId) {
    ids.add(tokenId);
    text = tokenizer.decode(ids.stream().mapToLong(Long::longValue).toArray(), true);
    int stopAt = -1;
    for (String stop : stops) {
      int at = text.indexOf(stop, Math.max(0, emitted - stop.length() + 1));
      if (at >= 0 && (stopAt < 0 || at < stopAt)) {
        stopAt = at;
      }
    }
    if (stopAt >= 0) {
      stopped = true;
      return take(stopAt);
    }
    int safe = text.length();
    while (safe > emitted && text.charAt(safe - 1) == INCOMPLETE) {
      safe--;
    }
    int held = 0;
    for (String stop : stops) {
      for (int k = Math.min(stop.length() - 1, safe); k > held; k--) {
        if (text.startsWith(stop.substring(0, k), safe - k)) {
          held = k;
          break;
        }
      }
    }
    safe -= held;
    return take(safe);
  }

  /** Whether a stop string has ended the answer. */
  boolean stopped() {
    return stopped;
  }

  /** The rest of the text at the end of an answer that no stop string ended. */
  String rest() {
    return stopped ? "" : take(text.length());
  }

  private String take(int end) {
    if (end <= emitted) {
      return "";
    }
    String delta = text.substring(emitted, end);
    emitted = end;
    return delta;
  }
}
