package dev.tuneforge.app.openai;

import dev.tuneforge.app.apikey.ApiErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** A refusal answered as OpenAI's error object with its HTTP status. */
final class OpenAiException extends RuntimeException {
  private final HttpStatus status;
  private final String type;
  private final @Nullable String param;
  private final @Nullable String code;

  OpenAiException(
      HttpStatus status,
      String type,
      String message,
      @Nullable String param,
      @Nullable String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** A request OpenAI would refuse with 400: {@code param} names the field, when there is one. */
  static OpenAiException invalid(String message, @Nullable String param) {
    return new OpenAiException(
        HttpStatus.BAD_REQUEST, "invalid_request_error", message, param, null);
  }

  /** An object the caller's tenant does not have: 404, as for one that does not exist. */
  static OpenAiException notFound(String what, String id, String param) {
    return new OpenAiException(
        HttpStatus.NOT_FOUND,
        "invalid_request_error",
        "No such " + what + ": '" + id + "'",
        param,
        what.replace(' ', '_') + "_not_found");
  }

  HttpStatus status() {
    return status;
  }

  ApiErrors.OpenAiError error() {
    return new ApiErrors.OpenAiError(
        new ApiErrors.OpenAiError.Detail(getMessage(), type, param, code));
  }
}
