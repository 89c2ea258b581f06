package dev.tuneforge.app.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A judge run's figures: how often the judge preferred the tuned model, neither, or the base model
 * (after position swapping), each with a paired bootstrap's 95 % interval over the examples ({@link
 * PairedBootstrap}'s seed and resamples); how often its two orders disagreed; where an exact metric
 * exists (field F1), how often the judge picked the same model it did; and what the judging took in
 * calls and tokens.
 *
 * @param orderDisagreements examples whose two orders preferred different models or only one order
 *     preferred one (counted as ties)
 * @param unreadable calls whose answer named neither A, B nor a tie (no preference)
 * @param agreement share of examples where the judge's preference equals field F1's; null without
 *     field F1
 * @param decisive examples where field F1 prefers a model; 0 without field F1
 * @param decisiveAgreed of those, the examples where the judge preferred the same model
 */
public record JudgeResults(
    int examples,
    int tunedWins,
    int ties,
    int baseWins,
    int orderDisagreements,
    int unreadable,
    Interval winInterval,
    Interval tieInterval,
    Interval lossInterval,
    Interval netInterval,
    @Nullable Double agreement,
    @Nullable Interval agreementInterval,
    int decisive,
    int decisiveAgreed,
    long calls,
    long promptTokens,
    long completionTokens) {

  /**
   * @param judged the judge's preference per example, in the evaluation's order
   * @param exact field F1's preference for the same examples, or null for free-text answers
   * @throws IllegalArgumentException when there is nothing judged, or the lists differ in length
   */
  public static JudgeResults of(
      List<Preference> judged,
      @Nullable List<Preference> exact,
      int orderDisagreements,
      int unreadable,
      long calls,
      long promptTokens,
      long completionTokens) {
    int n = judged.size();
    if (n == 0 || (exact != null && exact.size() != n)) {
      throw new IllegalArgumentException(
          "the judge needs judgements of every example, and as many field scores");
    }
    int[][] resamples =
        PairedBootstrap.resamples(n, PairedBootstrap.RESAMPLES, PairedBootstrap.SEED);
    IntToDoubleFunction win = i -> judged.get(i) == Preference.TUNED ? 1 : 0;
    IntToDoubleFunction tie = i -> judged.get(i) == Preference.TIE ? 1 : 0;
    IntToDoubleFunction loss = i -> judged.get(i) == Preference.BASE ? 1 : 0;
    IntToDoubleFunction net = i -> win.applyAsDouble(i) - loss.applyAsDouble(i);
    Double agreement = null;
    Interval agreementInterval = null;
    int decisive = 0;
    int decisiveAgreed = 0;
    if (exact != null) {
      IntToDoubleFunction agrees = i -> judged.get(i) == exact.get(i) ? 1 : 0;
      agreement = mean(n, agrees);
      agreementInterval = interval(resamples, agrees);
      for (int i = 0; i < n; i++) {
        if (exact.get(i) != Preference.TIE) {
          decisive++;
          decisiveAgreed += judged.get(i) == exact.get(i) ? 1 : 0;
        }
      }
    }
    return new JudgeResults(
        n,
        (int) Math.round(mean(n, win) * n),
        (int) Math.round(mean(n, tie) * n),
        (int) Math.round(mean(n, loss) * n),
        orderDisagreements,
        unreadable,
        interval(resamples, win),
        interval(resamples, tie),
        interval(resamples, loss),
        interval(resamples, net),
        agreement,
        agreementInterval,
        decisive,
        decisiveAgreed,
        calls,
        promptTokens,
        completionTokens);
  }

  private static double mean(int n, IntToDoubleFunction value) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += value.applyAsDouble(i);
    }
    return sum / n;
  }

  private static Interval interval(int[][] resamples, IntToDoubleFunction value) {
    double[] means = new double[resamples.length];
    for (int r = 0; r < resamples.length; r++) {
      int[] resample = resamples[r];
      means[r] = mean(resample.length, i -> value.applyAsDouble(resample[i]));
    }
    return java.util.Objects.requireNonNull(PairedBootstrap.percentile(means));
  }

  public double winRate() {
    return (double) tunedWins / examples;
  }

  public double tieRate() {
    return (double) ties / examples;
  }

  public double lossRate() {
    return (double) baseWins / examples;
  }

  /**
   * "The judge prefers the tuned model: …", the same for the base model, or "No clear preference:
   * …" when the interval of wins − losses includes 0.
   */
  public String sentence() {
    double net = winRate() - lossRate();
    String verdict =
        !netInterval.excludesZero()
            ? "No clear preference"
            : netInterval.low() > 0
                ? "The judge prefers the tuned model"
                : "The judge prefers the base model";
    return String.format(
        Locale.ROOT,
        "%s: wins − losses %+.1f pts (95 %% CI %+.1f … %+.1f) over %d examples.",
        verdict,
        net * 100,
        netInterval.low() * 100,
        netInterval.high() * 100,
        examples);
  }

  /** "tuned wins 45.0 % (95 % CI 25.0 … 65.0)", one line per outcome. */
  public List<String> rates() {
    return List.of(
        rate("Tuned wins", tunedWins, winRate(), winInterval),
        rate("Ties", ties, tieRate(), tieInterval),
        rate("Base wins", baseWins, lossRate(), lossInterval));
  }

  private static String rate(String what, int count, double rate, Interval interval) {
    return String.format(
        Locale.ROOT,
        "%s: %d, %.1f %% (95 %% CI %.1f … %.1f)",
        what,
        count,
        rate * 100,
        interval.low() * 100,
        interval.high() * 100);
  }

  /** Agreement with field F1, or null without it. */
  public @Nullable String agreementSentence() {
    if (agreement == null || agreementInterval == null) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "The judge and field F1 prefer the same model (or neither) on %.1f %% of the examples"
            + " (95 %% CI %.1f … %.1f); on the %d examples where field F1 prefers a model, the"
            + " judge picks that model in %d.",
        agreement * 100,
        agreementInterval.low() * 100,
        agreementInterval.high() * 100,
        decisive,
        decisiveAgreed);
  }

  /** "40 calls, 12,345 prompt + 678 completion tokens", as the endpoint reported them. */
  public String cost() {
    return String.format(
        Locale.ROOT,
        "%d calls to the judge, %,d prompt + %,d completion tokens as the endpoint reported them",
        calls,
        promptTokens,
        completionTokens);
  }
}
