package dev.tuneforge.app.apikey;

import dev.tuneforge.app.account.SignedInUser;
import java.util.UUID;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request authenticated by an API key: its principal is the key owner's {@link SignedInUser}, as
 * in the browser, so roles and the tenant context work unchanged; {@link #keyId()} says which key
 * (for metering and limits).
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {
  private final SignedInUser user;
  private final UUID keyId;

  ApiKeyAuthentication(SignedInUser user, UUID keyId) {
    super(user.getAuthorities());
    this.user = user;
    this.keyId = keyId;
    setAuthenticated(true);
  }

  public UUID keyId() {
    return keyId;
  }

  @Override
  public SignedInUser getPrincipal() {
    return user;
  }

  @Override
  public Object getCredentials() {
    return "";
  }
}
