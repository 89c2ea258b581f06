package dev.tuneforge.trainingnode.serve;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A generation's stream as a caller sees it: the deltas, tokens, logits and how it ended. */
final class Collected implements GenerationStream {

  final StringBuilder text = new StringBuilder();
  final List<Long> tokens = new ArrayList<>();
  final List<float[]> logits = new ArrayList<>();
  @Nullable String finishReason;
  @Nullable String error;
  int promptTokens;
  int completionTokens;

  @Override
  public void onToken(long tokenId, String delta) {
    tokens.add(tokenId);
    text.append(delta);
  }

  @Override
  public void onFinish(String delta, String finishReason, int promptTokens, int completionTokens) {
    text.append(delta);
    this.finishReason = finishReason;
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
  }

  @Override
  public void onError(String message) {
    error = message;
  }

  @Override
  public void onLogits(float[] logits) {
    this.logits.add(logits.clone());
  }

  long[] tokenIds() {
    return tokens.stream().mapToLong(Long::longValue).toArray();
  }
}
