package dev.tuneforge.app.apikey;

import dev.tuneforge.app.tenancy.QuotaExceeded;
import dev.tuneforge.app.tenancy.TenantStateConflict;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * What the services' exceptions mean to an API client: a refused value 400, a forbidden action 403,
 * an object that is not there (or another tenant's) 404, a state that does not allow it yet (or a
 * tenant not in the state an action needs) 409, a tenant's quota reached 429 (the body names the
 * quota, its limit and the use).
 */
@RestControllerAdvice(annotations = PublicApi.class)
class ApiExceptionHandler {

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Object> invalid(HttpServletRequest request, IllegalArgumentException e) {
    return ApiErrors.response(
        request, HttpStatus.BAD_REQUEST, "invalid_value", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler(TenantStateConflict.class)
  ResponseEntity<Object> conflict(HttpServletRequest request, TenantStateConflict e) {
    return ApiErrors.response(
        request, HttpStatus.CONFLICT, "tenant_state", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler(QuotaExceeded.class)
  ResponseEntity<Object> overQuota(HttpServletRequest request, QuotaExceeded e) {
    ResponseEntity<Object> answer =
        ApiErrors.response(
            request,
            HttpStatus.TOO_MANY_REQUESTS,
            "quota_exceeded",
            String.valueOf(e.getMessage()));
    if (answer.getBody() instanceof Map<?, ?> problem) {
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) problem;
      body.put("quota", e.quota().id());
      body.put("limit", e.limit());
      body.put("used", e.used());
    }
    return answer;
  }

  @ExceptionHandler(ApiConflict.class)
  ResponseEntity<Object> conflict(HttpServletRequest request, ApiConflict e) {
    return ApiErrors.response(
        request, HttpStatus.CONFLICT, e.code(), String.valueOf(e.getMessage()));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Object> unreadable(HttpServletRequest request) {
    return ApiErrors.response(
        request, HttpStatus.BAD_REQUEST, "invalid_json", "The request body is not valid JSON");
  }

  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<Object> denied(HttpServletRequest request, AccessDeniedException e) {
    return ApiErrors.response(
        request, HttpStatus.FORBIDDEN, "forbidden", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler(NoSuchElementException.class)
  ResponseEntity<Object> notFound(HttpServletRequest request, NoSuchElementException e) {
    return ApiErrors.response(
        request, HttpStatus.NOT_FOUND, "not_found", String.valueOf(e.getMessage()));
  }
}
