package dev.tuneforge.app.apikey;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer tf_…}: a known, live key signs its owner in for this
 * request only; any other bearer value is refused at once with 401; a key over its rate limit gets
 * 429 with {@code Retry-After}. Without the header the request goes on unauthenticated (and the
 * chain answers 401).
 */
final class ApiKeyFilter extends OncePerRequestFilter {
  static final String INVALID_KEY = "invalid_api_key";
  private static final String BEARER = "Bearer ";

  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final SecurityContextHolderStrategy contexts;

  ApiKeyFilter(ApiKeys keys, RateLimiter limiter, SecurityContextHolderStrategy contexts) {
    this.keys = keys;
    this.limiter = limiter;
    this.contexts = contexts;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      chain.doFilter(request, response);
      return;
    }
    Optional<ApiKeys.Authenticated> found =
        keys.authenticate(header.substring(BEARER.length()).strip());
    if (found.isEmpty()) {
      ApiErrors.write(
          request,
          response,
          HttpStatus.UNAUTHORIZED,
          INVALID_KEY,
          "The API key is wrong, revoked or expired");
      return;
    }
    Duration wait = limiter.take(found.get().keyId());
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
      ApiErrors.write(
          request,
          response,
          HttpStatus.TOO_MANY_REQUESTS,
          "rate_limit_exceeded",
          "Rate limit reached for this API key; retry after " + seconds + " s");
      return;
    }
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(new ApiKeyAuthentication(found.get().user(), found.get().keyId()));
    contexts.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      contexts.clearContext();
    }
  }
}
