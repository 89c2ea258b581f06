package dev.tuneforge.app.dataset;

/**
 * The quality of a preference dataset's kept pairs, beside the {@link QualityReport} of their
 * prompts with the chosen answers; docs/datasets.md ("Preference pairs") defines each figure.
 *
 * @param identicalPairs pairs whose chosen and rejected answers are the same text: nothing to
 *     learn, so such a pair is a problem of its row (refused, or left out with "Drop invalid rows")
 *     and this counts the ones left out
 * @param emptyChosen pairs left out because their chosen answer is empty or only whitespace
 * @param emptyRejected pairs left out because their rejected answer is
 * @param meanChosenChars the chosen answers' mean length in characters
 * @param meanRejectedChars the rejected answers'
 * @param chosenLonger pairs whose chosen answer is longer than the rejected one: near all of them
 *     means DPO may learn "longer is better" rather than the rule the pairs stand for
 */
public record PreferenceReport(
    int pairs,
    int identicalPairs,
    int emptyChosen,
    int emptyRejected,
    double meanChosenChars,
    double meanRejectedChars,
    int chosenLonger) {

  /** The share of pairs whose chosen answer is the longer one, in percent. */
  public double chosenLongerPercent() {
    return QualityReport.percent(chosenLonger, pairs);
  }

  /** Whether length alone tells the answers apart in at least 90 % of the pairs, either way. */
  public boolean lengthBiased() {
    return pairs >= 10 && (chosenLongerPercent() >= 90 || chosenLongerPercent() <= 10);
  }
}
