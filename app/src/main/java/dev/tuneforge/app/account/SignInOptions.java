package dev.tuneforge.app.account;

import java.util.Optional;
import org.springframework.stereotype.Component;

/** What the sign-in page offers besides the local form: single sign-on, if configured and up. */
@Component
public class SignInOptions {
  /** Where the sign-in page's SSO link starts the authorization code flow. */
  public static final String SSO_START = "oauth2/authorization/" + SsoProperties.REGISTRATION_ID;

  private final SsoSecurity sso;

  SignInOptions(SsoSecurity sso) {
    this.sso = sso;
  }

  /** The provider's name when single sign-on is configured. */
  public Optional<String> ssoProvider() {
    return sso.active() ? Optional.of(sso.providerName()) : Optional.empty();
  }

  /** Whether the provider answers now. */
  public boolean ssoReachable() {
    return sso.reachable();
  }
}
