package dev.tuneforge.app.apikey;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any API path no controller serves answers 404 in the API's error shape (OpenAI's "Invalid URL"),
 * rather than falling through to the web UI's router.
 */
@RestController
class UnknownRouteController {

  @RequestMapping({ApiErrors.OPENAI_BASE + "/**", ApiErrors.NATIVE_BASE + "/**"})
  ResponseEntity<Object> unknown(HttpServletRequest request) {
    return ApiErrors.response(
        request,
        HttpStatus.NOT_FOUND,
        "unknown_url",
        "Invalid URL (" + request.getMethod() + " " + ApiErrors.path(request) + ")");
  }
}
