package dev.tuneforge.trainingnode.serve;

/**
 * Keeps one answer a valid JSON object: before each token, every token whose text would make the
 * answer so far no prefix of a JSON object is masked, and so is every token after which the object
 * could no longer be closed within the tokens left (one character per token, which the
 * single-character tokens of byte-level vocabularies always allow). The answer ends when the object
 * closes.
 */
final class JsonConstraint {

  private final JsonVocabulary vocabulary;
  private final JsonGrammar grammar = new JsonGrammar();

  JsonConstraint(JsonVocabulary vocabulary) {
    this.vocabulary = vocabulary;
  }

  /**
   * Sets the logits of forbidden tokens to minus infinity, {@code tokensLeft} counting this one;
   * false when no token is allowed.
   */
  boolean mask(float[] logits, int tokensLeft) {
    boolean any = false;
    for (int id = 0; id < logits.length; id++) {
      String text = id < vocabulary.size() ? vocabulary.text(id) : null;
      boolean allowed = false;
      if (text != null) {
        JsonGrammar next = grammar.copy();
        allowed = next.accept(text) && next.charactersToClose() <= tokensLeft - 1;
      }
      if (allowed) {
        any = true;
      } else {
        logits[id] = Float.NEGATIVE_INFINITY;
      }
    }
    return any;
  }

  /** Advances past a chosen token, which {@link #mask} allowed. */
  void accept(long tokenId) {
    grammar.accept(vocabulary.text((int) tokenId));
  }

  boolean closed() {
    return grammar.done();
  }
}
