package dev.tuneforge.app.outbound;

/**
 * A call to a user-configured URL that gave no answer: refused by the policy, unreachable, too
 * slow, too large, or not HTTP. Its message is the same for every cause, so that a user cannot map
 * the platform's network with it; the cause is logged for administrators.
 */
public final class OutboundFailed extends Exception {
  public static final String MESSAGE =
      "The endpoint gave no usable answer (check its URL, model and key; addresses inside the"
          + " platform's network need an administrator's permission)";

  private final boolean worthRetrying;

  OutboundFailed(boolean worthRetrying) {
    super(MESSAGE);
    this.worthRetrying = worthRetrying;
  }

  /** Whether asking again may help (a timeout or broken connection, not a refusal). */
  public boolean worthRetrying() {
    return worthRetrying;
  }
}
