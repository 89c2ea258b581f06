package dev.tuneforge.app.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Log lines written while a request works on one job (a node's events, result and checkpoints, a
 * user's adapter download) carry its id ({@code job} in structured logs); {@code TenantContext}
 * adds the tenant.
 */
@Component
class JobLogContext extends OncePerRequestFilter {
  static final String KEY = "job";
  private static final Pattern JOB_IN_PATH =
      Pattern.compile("/(?:jobs|finetunes)/([0-9a-fA-F-]{36})(?:/|$)");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Matcher job = JOB_IN_PATH.matcher(request.getRequestURI());
    if (!job.find()) {
      chain.doFilter(request, response);
      return;
    }
    try (var logged = MDC.putCloseable(KEY, job.group(1))) {
      chain.doFilter(request, response);
    }
  }
}
