package dev.tuneforge.app.teacher;

/**
 * An item is pending until its stage has done it; REJECTED is the judge's verdict, not a failure.
 */
public enum ItemStatus {
  PENDING,
  DONE,
  FAILED,
  REJECTED
}
