package dev.tuneforge.app.apikey;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error bodies of the public API: OpenAI's error object {@code
 * {"error":{"message","type","param","code"}}} under {@code /v1}, so that OpenAI's clients raise
 * their usual exceptions, and RFC 9457 problem JSON (with a {@code code} member) under {@code
 * /api}. For filters ({@link #write}) and controllers ({@link #response}) alike.
 */
public final class ApiErrors {
  public static final String OPENAI_BASE = "/v1";
  public static final String NATIVE_BASE = "/api";
  public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ApiErrors() {}

  /** OpenAI's error object; {@code param} names the offending request field, if one does. */
  public record OpenAiError(Detail error) {
    public record Detail(
        String message, String type, @Nullable String param, @Nullable String code) {}
  }

  /** Whether {@code request} (or the request an error dispatch is for) is under {@code /v1}. */
  public static boolean isOpenAi(HttpServletRequest request) {
    return under(path(request), OPENAI_BASE);
  }

  static boolean under(String path, String base) {
    return path.equals(base) || path.startsWith(base + "/");
  }

  static String path(HttpServletRequest request) {
    Object errorUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String uri = errorUri instanceof String s ? s : request.getRequestURI();
    return uri.substring(Math.min(uri.length(), request.getContextPath().length()));
  }

  /** OpenAI's error type for a status: {@code invalid_request_error} for most client errors. */
  public static String openAiType(HttpStatus status) {
    if (status == HttpStatus.TOO_MANY_REQUESTS) {
      return "requests";
    }
    return status.is5xxServerError() ? "server_error" : "invalid_request_error";
  }

  public static OpenAiError openAiError(
      HttpStatus status, String message, @Nullable String param, @Nullable String code) {
    return new OpenAiError(new OpenAiError.Detail(message, openAiType(status), param, code));
  }

  public static Map<String, Object> problem(
      HttpStatus status, String message, String code, String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", status.getReasonPhrase());
    body.put("status", status.value());
    body.put("detail", message);
    body.put("instance", instance);
    body.put("code", code);
    return body;
  }

  /** The error in the shape of {@code request}'s API, as a controller answers it. */
  public static ResponseEntity<Object> response(
      HttpServletRequest request, HttpStatus status, String code, String message) {
    if (isOpenAi(request)) {
      return ResponseEntity.status(status)
          .contentType(MediaType.APPLICATION_JSON)
          .body(openAiError(status, message, null, code));
    }
    return ResponseEntity.status(status)
        .contentType(PROBLEM_JSON)
        .body(problem(status, message, code, path(request)));
  }

  /** The error in the shape of {@code request}'s API, as a filter writes it. */
  public static void write(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String code,
      String message)
      throws IOException {
    ResponseEntity<Object> entity = ApiErrors.response(request, status, code, message);
    response.setStatus(status.value());
    response.setContentType(String.valueOf(entity.getHeaders().getContentType()));
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), entity.getBody());
  }
}
