package dev.tuneforge.app.account;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on through an OpenID Connect provider ({@code tuneforge.identity.oidc.*}); off by
 * default. {@code tenantClaim} names the claim whose values (a string, a list, or an object keyed
 * by name, as Keycloak's group and organization mappers write them) are matched against the SSO
 * groups of tenants; {@code roleClaim} (a dotted path, e.g. {@code
 * resource_access.tuneforge.roles}) holds the provider's role names, mapped to ours by {@code
 * roles}. The provider is asked again for the user's claims once {@code recheckInterval} has passed
 * since the last answer, so that a user removed from the group loses access then.
 */
@ConfigurationProperties("tuneforge.identity.oidc")
record SsoProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("Keycloak") String providerName,
    @DefaultValue("") String issuerUri,
    @DefaultValue("tuneforge") String clientId,
    @DefaultValue("") String clientSecret,
    @DefaultValue("groups") String tenantClaim,
    @DefaultValue("tuneforge_roles") String roleClaim,
    Map<String, Role> roles,
    @DefaultValue("15s") Duration recheckInterval) {

  /** The registration id in Spring Security's URLs ({@code /oauth2/authorization/sso}, ...). */
  static final String REGISTRATION_ID = "sso";

  SsoProperties {
    roles =
        roles == null || roles.isEmpty()
            ? Map.of("tenant-admin", Role.TENANT_ADMIN, "member", Role.MEMBER)
            : Map.copyOf(roles);
  }

  boolean active() {
    return enabled && !issuerUri.isBlank();
  }
}
