package dev.tuneforge.trainingnode.agent;

import java.io.IOException;

/** The app answered, but not with success; callers decide by status whether retrying can help. */
final class AppResponseException extends IOException {
  private final int status;

  AppResponseException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  boolean isAuthFailure() {
    return status == 401 || status == 403;
  }

  /** A 4xx other than timeouts and throttling: the same request will be refused again. */
  boolean isPermanent() {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }
}
