package dev.tuneforge.trainingnode.serve;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * Each token's text as JSON-constrained decoding sees it: decoded alone, without special tokens.
 * Tokens with no text (special tokens, ids past the tokenizer's vocabulary) or with part of a
 * character (byte-level pieces of multi-byte characters) are never chosen under the constraint.
 */
final class JsonVocabulary {

  private final String[] texts;

  private JsonVocabulary(String[] texts) {
    this.texts = texts;
  }

  static JsonVocabulary of(HuggingFaceTokenizer tokenizer, int vocabSize) {
    String[] texts = new String[vocabSize];
    for (int id = 0; id < vocabSize; id++) {
      String text = tokenizer.decode(new long[] {id}, true);
      texts[id] = text.isEmpty() || text.indexOf('\uFFFD') >= 0 ? null : text;
    }
    return new JsonVocabulary(texts);
  }

  int size() {
    return texts.length;
  }

  /** The token's text, or null when the constraint never picks it. */
  String text(int id) {
    return texts[id];
  }
}
