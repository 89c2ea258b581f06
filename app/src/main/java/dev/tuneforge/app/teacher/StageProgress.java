package dev.tuneforge.app.teacher;

/**
 * One stage's items: done, failed (after retries, or a malformed answer), rejected by the judge,
 * still pending, and how many the stage expects given what came before it.
 */
public record StageProgress(
    Stage stage, long done, long failed, long rejected, long pending, long expected) {
  public long finished() {
    return done + failed + rejected;
  }
}
