package dev.tuneforge.app.evaluation;

import org.jspecify.annotations.Nullable;

/**
 * Which model an example's judgement or exact metric prefers. The judge sees every pair twice, base
 * first and tuned first; a model wins only when both orders prefer it, so a judge that always picks
 * one position gives ties.
 */
public enum Preference {
  TUNED,
  TIE,
  BASE;

  /**
   * @param baseFirst the verdict with the base model's answer shown as A
   * @param tunedFirst the verdict with the tuned model's answer shown as A
   */
  public static Preference swapped(JudgeVerdict baseFirst, JudgeVerdict tunedFirst) {
    Preference first = baseFirst(baseFirst);
    return first == tunedFirst(tunedFirst) ? first : TIE;
  }

  /** What one verdict prefers, with the base model's answer shown as A. */
  public static Preference baseFirst(JudgeVerdict verdict) {
    return of(verdict, BASE, TUNED);
  }

  /** What one verdict prefers, with the tuned model's answer shown as A. */
  public static Preference tunedFirst(JudgeVerdict verdict) {
    return of(verdict, TUNED, BASE);
  }

  private static Preference of(JudgeVerdict verdict, Preference a, Preference b) {
    return switch (verdict) {
      case A -> a;
      case B -> b;
      case TIE, UNREADABLE -> TIE;
    };
  }

  /** The exact metric's preference: the higher field F1 (undefined counts as neither). */
  public static Preference byScore(@Nullable Double base, @Nullable Double tuned) {
    Double delta = Ratios.delta(base, tuned);
    if (delta == null || delta == 0) {
      return TIE;
    }
    return delta > 0 ? TUNED : BASE;
  }
}
