package dev.tuneforge.app.account;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The signed-in user of the current request. */
public final class CurrentUser {
  private CurrentUser() {}

  public static Optional<SignedInUser> get() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth == null ? Optional.empty() : of(auth);
  }

  /** The user an authentication stands for, signed in with a password or through single sign-on. */
  public static Optional<SignedInUser> of(Authentication auth) {
    return switch (auth.getPrincipal()) {
      case SignedInUser user -> Optional.of(user);
      case SsoUser sso -> Optional.of(sso.user());
      case null, default -> Optional.empty();
    };
  }

  public static SignedInUser require() {
    return get().orElseThrow(() -> new IllegalStateException("nobody is signed in"));
  }
}
