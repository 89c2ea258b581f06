package dev.tuneforge.app.teacher;

/** A teacher call that gave no usable answer; the message says why, for the item's reason. */
class TeacherCallFailed extends Exception {
  TeacherCallFailed(String reason) {
    super(reason);
  }
}
