package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.protocol.EvaluationExample;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * What judging the examples still unjudged should cost: two calls each (both orders), their prompt
 * tokens at about {@value #CHARACTERS_PER_TOKEN} characters a token of the judge's prompt as sent,
 * or as this fine-tune's earlier judgements measured them, and {@value #COMPLETION_TOKENS}
 * completion tokens a call (a verdict and one sentence) until measured; money at the endpoint's
 * prices.
 */
public record JudgeEstimate(
    int examples,
    long promptTokens,
    long completionTokens,
    BigDecimal cost,
    String currency,
    boolean priced,
    boolean measured) {

  /** The judge's tokenizer is unknown: English text takes about four characters a token. */
  static final int CHARACTERS_PER_TOKEN = 4;

  /** A verdict in JSON and one sentence of reason. */
  static final int COMPLETION_TOKENS = 40;

  /**
   * Estimates for {@code left}, from {@code judged} (earlier judgements of the same fine-tune) when
   * there are any.
   */
  static JudgeEstimate of(
      List<EvaluationExample> left,
      List<Judgement> judged,
      TokenCharge.Prices prices,
      String currency) {
    long prompt;
    long completion;
    boolean measured = !judged.isEmpty();
    if (measured) {
      prompt =
          Math.round(
              left.size()
                  * judged.stream().mapToLong(Judgement::getPromptTokens).average().orElse(0));
      completion =
          Math.round(
              left.size()
                  * judged.stream().mapToLong(Judgement::getCompletionTokens).average().orElse(0));
    } else {
      prompt = 0;
      for (EvaluationExample e : left) {
        prompt +=
            tokens(JudgePrompt.user(e.prompt(), e.expected(), e.baseOutput(), e.tunedOutput()));
        prompt +=
            tokens(JudgePrompt.user(e.prompt(), e.expected(), e.tunedOutput(), e.baseOutput()));
      }
      completion = 2L * COMPLETION_TOKENS * left.size();
    }
    return new JudgeEstimate(
        left.size(),
        prompt,
        completion,
        prices.cost(prompt, completion),
        currency,
        prices.priced(),
        measured);
  }

  private static long tokens(String user) {
    return (JudgePrompt.SYSTEM.length() + user.length() + CHARACTERS_PER_TOKEN - 1)
        / CHARACTERS_PER_TOKEN;
  }

  /** "12 examples, about 9,800 prompt + 960 completion tokens: 0.0051 USD". */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%d example%s, about %,d prompt + %,d completion tokens (%s): %s",
        examples,
        examples == 1 ? "" : "s",
        promptTokens,
        completionTokens,
        measured
            ? "as this fine-tune's earlier judgements took"
            : "about " + CHARACTERS_PER_TOKEN + " characters a token",
        priced ? Money.format(cost, currency) : "the endpoint has no price");
  }
}
