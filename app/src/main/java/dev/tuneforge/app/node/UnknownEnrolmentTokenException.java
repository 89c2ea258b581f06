package dev.tuneforge.app.node;

/**
 * An enrolment token that was never issued: a guess, counted against the client. (Used and expired
 * tokens were issued; they answer the same message but are not counted.)
 */
final class UnknownEnrolmentTokenException extends IllegalArgumentException {
  UnknownEnrolmentTokenException(String message) {
    super(message);
  }
}
