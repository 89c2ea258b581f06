package dev.tuneforge.app.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks the signed-in user against the database on every request (one look-up by primary key), and
 * SSO users against the provider now and then ({@link SsoRecheck}): a disabled or deleted user's
 * session ends at once, and a changed role or tenant replaces the session's principal before the
 * request is authorised.
 */
final class PrincipalRecheckFilter extends OncePerRequestFilter {
  private final AccountService accounts;
  private final SsoRecheck sso;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

  PrincipalRecheckFilter(AccountService accounts, SsoRecheck sso) {
    this.accounts = accounts;
    this.sso = sso;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    Optional<SignedInUser> before = auth == null ? Optional.empty() : CurrentUser.get();
    if (before.isPresent()) {
      Optional<SignedInUser> now = accounts.current(before.get().userId());
      if (now.isPresent()
          && auth instanceof OAuth2AuthenticationToken token
          && token.getPrincipal() instanceof SsoUser principal) {
        now = sso.recheck(now.get(), token, principal, request, response);
      }
      if (now.isEmpty()) {
        end(request);
      } else if (!now.get().equals(before.get())) {
        replace(auth, now.get(), request, response);
      }
    }
    chain.doFilter(request, response);
  }

  private static void end(HttpServletRequest request) {
    SecurityContextHolder.clearContext();
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
  }

  private void replace(
      Authentication auth,
      SignedInUser user,
      HttpServletRequest request,
      HttpServletResponse response) {
    Authentication updated =
        auth instanceof OAuth2AuthenticationToken token
                && token.getPrincipal() instanceof SsoUser principal
            ? new OAuth2AuthenticationToken(
                new SsoUser(user, principal.oidc()),
                user.getAuthorities(),
                token.getAuthorizedClientRegistrationId())
            : UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    if (updated instanceof UsernamePasswordAuthenticationToken local) {
      local.setDetails(auth.getDetails());
    }
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(updated);
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
  }
}
