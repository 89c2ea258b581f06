package dev.tuneforge.app.account;

import dev.tuneforge.app.tenancy.TenantMember;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The principal of a user signed in through the single sign-on provider: our account as it stands
 * ({@link SignedInUser}, whose role decides the authorities) and the provider's tokens, which
 * RP-initiated and back-channel logout need.
 */
record SsoUser(SignedInUser user, OidcUser oidc) implements OidcUser, TenantMember {
  @Override
  public UUID userId() {
    return user.userId();
  }

  @Override
  public @Nullable UUID tenantId() {
    return user.tenantId();
  }

  @Override
  public Map<String, Object> getClaims() {
    return oidc.getClaims();
  }

  @Override
  public OidcUserInfo getUserInfo() {
    return oidc.getUserInfo();
  }

  @Override
  public OidcIdToken getIdToken() {
    return oidc.getIdToken();
  }

  @Override
  public Map<String, Object> getAttributes() {
    return oidc.getAttributes();
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return user.getAuthorities();
  }

  /** Our user name, which the page header shows. */
  @Override
  public String getName() {
    return user.username();
  }

  @Override
  public String toString() {
    return "SsoUser[" + user.username() + ", " + user.role() + "]";
  }
}
