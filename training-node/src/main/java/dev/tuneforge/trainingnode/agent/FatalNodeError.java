package dev.tuneforge.trainingnode.agent;

/**
 * A condition the operator must fix before the node can work; ends the process with {@link
 * #exitCode}.
 */
final class FatalNodeError extends RuntimeException {
  private final int exitCode;

  FatalNodeError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
