package dev.tuneforge.app.account;

import dev.tuneforge.app.account.SignInThrottle.Refusal;
import dev.tuneforge.app.account.SignInThrottle.Subject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in POST while its account or address is delayed or locked, before the password is
 * checked, by sending the browser back to the sign-in page with how long to wait ({@code
 * login?wait=SECONDS}, {@code login?locked=MINUTES}, {@code login?locked=MINUTES&address}).
 */
final class SignInThrottleFilter extends OncePerRequestFilter {
  private static final RequestMatcher SIGN_IN =
      PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/login");

  private final SignInThrottle throttle;

  SignInThrottleFilter(SignInThrottle throttle) {
    this.throttle = throttle;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !SIGN_IN.matches(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String username = Objects.requireNonNullElse(request.getParameter("username"), "");
    String address = request.getRemoteAddr();
    Optional<Refusal> refusal = throttle.attempt(username, address);
    if (refusal.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    Refusal refused = refusal.get();
    throttle.announce(AccessRefused.Endpoint.SIGN_IN, username, address, refused);
    response.sendRedirect(request.getContextPath() + "/login?" + query(refused));
  }

  private static String query(Refusal refused) {
    Duration left = refused.remaining();
    if (!refused.locked()) {
      return "wait=" + Math.max(1, Math.ceilDiv(left.toMillis(), 1000));
    }
    return "locked="
        + Math.max(1, Math.ceilDiv(left.toMillis(), 60_000))
        + (refused.subject() == Subject.ADDRESS ? "&address" : "");
  }
}
