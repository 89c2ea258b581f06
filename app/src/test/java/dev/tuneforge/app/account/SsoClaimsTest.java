package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SsoClaimsTest {
  private static final Map<String, Role> ROLES =
      Map.of("tenant-admin", Role.TENANT_ADMIN, "member", Role.MEMBER, "root", Role.PLATFORM_ADMIN);

  @Test
  void groupsOrganizationsAndPlainStringsNameTenants() {
    assertThat(SsoClaims.tenantNames(Map.of("groups", List.of("/demo", "other")), "groups"))
        .containsExactly("demo", "other");
    assertThat(
            SsoClaims.tenantNames(
                Map.of("organization", Map.of("acme", Map.of("id", "42"))), "organization"))
        .containsExactly("acme");
    assertThat(SsoClaims.tenantNames(Map.of("team", "acme"), "team")).containsExactly("acme");
    assertThat(SsoClaims.tenantNames(Map.of(), "groups")).isEmpty();
  }

  @Test
  void theHighestMappedRoleWinsAndNoClaimMakesAPlatformAdmin() {
    assertThat(
            SsoClaims.role(
                Map.of("tuneforge_roles", List.of("member", "tenant-admin")),
                "tuneforge_roles",
                ROLES))
        .contains(Role.TENANT_ADMIN);
    assertThat(
            SsoClaims.role(
                Map.of("resource_access", Map.of("tuneforge", Map.of("roles", List.of("member")))),
                "resource_access.tuneforge.roles",
                ROLES))
        .contains(Role.MEMBER);
    assertThat(SsoClaims.role(Map.of("tuneforge_roles", List.of("root")), "tuneforge_roles", ROLES))
        .isEmpty();
    assertThat(SsoClaims.role(Map.of(), "tuneforge_roles", ROLES)).isEmpty();
  }
}
