package dev.tuneforge.app.openai;

import dev.tuneforge.app.apikey.ApiErrors;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.tenancy.QuotaExceeded;
import dev.tuneforge.app.tenancy.TenantContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;

/**
 * Every refusal of the {@code /v1} controllers as OpenAI's error object: what the services refuse
 * is the caller's to fix (400, or 409 for a conflict with the object's state; 403 for a user of no
 * tenant, a platform admin; 429 {@code insufficient_quota} when the tenant's quota is reached, the
 * quota's id as the code); anything else is a 500 that says no more than that.
 */
@RestControllerAdvice(basePackageClasses = OpenAiErrors.class)
class OpenAiErrors {
  private static final Logger log = LoggerFactory.getLogger(OpenAiErrors.class);

  @ExceptionHandler
  ResponseEntity<ApiErrors.OpenAiError> refused(OpenAiException e) {
    // JSON whatever the request accepts: a file's content is asked for as bytes
    return ResponseEntity.status(e.status())
        .contentType(MediaType.APPLICATION_JSON)
        .body(e.error());
  }

  @ExceptionHandler
  ResponseEntity<ApiErrors.OpenAiError> rejectedFile(DatasetRejected e) {
    String message = e.getMessage() + ":\n" + e.report().summary();
    if (e.report().problemCount() <= 1 && e.report().summary().equals(e.getMessage())) {
      message = e.getMessage();
    }
    return refused(
        new OpenAiException(
            HttpStatus.BAD_REQUEST, "invalid_request_error", message, "file", "invalid_file"));
  }

  @ExceptionHandler
  ResponseEntity<ApiErrors.OpenAiError> overQuota(QuotaExceeded e) {
    return refused(
        new OpenAiException(
            HttpStatus.TOO_MANY_REQUESTS,
            "insufficient_quota",
            e.getMessage(),
            null,
            e.quota().id()));
  }

  @ExceptionHandler
  ResponseEntity<ApiErrors.OpenAiError> invalid(IllegalArgumentException e) {
    return refused(OpenAiException.invalid(e.getMessage(), null));
  }

  @ExceptionHandler
  ResponseEntity<ApiErrors.OpenAiError> conflict(IllegalStateException e) {
    if (TenantContext.currentTenant().isEmpty() && TenantContext.NO_TENANT.equals(e.getMessage())) {
      return refused(
          new OpenAiException(
              HttpStatus.FORBIDDEN,
              "permission_error",
              "This key's user belongs to no tenant; /v1 acts for a member of a tenant",
              null,
              "no_tenant"));
    }
    return refused(
        new OpenAiException(
            HttpStatus.CONFLICT, "invalid_request_error", e.getMessage(), null, "conflict"));
  }

  @ExceptionHandler({
    HttpMessageNotReadableException.class,
    MissingRequestValueException.class,
    MethodArgumentTypeMismatchException.class,
    MultipartException.class,
    HttpMediaTypeException.class
  })
  ResponseEntity<ApiErrors.OpenAiError> unreadable(Exception e) {
    return refused(
        OpenAiException.invalid("The request could not be read: " + e.getMessage(), null));
  }

  @ExceptionHandler
  ResponseEntity<ApiErrors.OpenAiError> failed(RuntimeException e) {
    log.error("The OpenAI-compatible API failed", e);
    return refused(
        new OpenAiException(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "server_error",
            "The server failed to answer the request; it is logged",
            null,
            null));
  }
}
