package dev.tuneforge.app.teacher;

/**
 * What a run that makes preference pairs made of its documents: the pairs kept, the ties dropped
 * (scores closer than the margin, or the same extraction twice), the documents whose better
 * extraction the judge rejected or the filter refused, and those whose second sample or its score
 * failed.
 */
public record PreferencePairs(
    int pairs, int ties, int withoutAcceptable, int unscored, int margin) {

  /** One sentence for the run page. */
  public String summary() {
    return pairs
        + (pairs == 1 ? " pair" : " pairs")
        + "; "
        + ties
        + (ties == 1 ? " tie" : " ties")
        + " dropped (scores less than "
        + margin
        + (margin == 1 ? " point" : " points")
        + " apart, or the same extraction twice); "
        + withoutAcceptable
        + " without an acceptable answer; "
        + unscored
        + " not scored";
  }
}
