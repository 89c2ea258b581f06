package dev.tuneforge.app.account;

import dev.tuneforge.app.tenancy.TenantMember;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** The principal of a signed-in user; it carries the tenant so tenancy needs no look-up. */
public record SignedInUser(
    UUID userId,
    @Nullable UUID tenantId,
    String username,
    String displayName,
    Role role,
    String passwordHash,
    boolean enabled)
    implements UserDetails, TenantMember {

  static SignedInUser of(AppUser user) {
    return new SignedInUser(
        user.getId(),
        user.getTenantId(),
        user.getUsername(),
        user.getDisplayName(),
        user.getRole(),
        user.getPasswordHash(),
        user.isEnabled());
  }

  /** This user, not allowed to sign in. */
  SignedInUser disabled() {
    return new SignedInUser(userId, tenantId, username, displayName, role, passwordHash, false);
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
  }

  @Override
  public String getPassword() {
    return passwordHash;
  }

  @Override
  public String getUsername() {
    return username;
  }

  /** Users of single sign-on have no local password; the sign-in form refuses them. */
  @Override
  public boolean isAccountNonExpired() {
    return !passwordHash.isEmpty();
  }

  @Override
  public boolean isEnabled() {
    return enabled;
  }

  @Override
  public String toString() {
    return "SignedInUser[" + username + ", " + role + "]";
  }
}
