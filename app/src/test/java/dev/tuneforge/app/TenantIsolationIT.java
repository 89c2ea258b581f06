package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;

/** Tenancy resolves from the signed-in user, and object keys of other tenants are refused. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class TenantIsolationIT {
  @Autowired ObjectStorage storage;

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void theSignedInMembersTenantIsTheCurrentTenant() {
    UUID tenant = UUID.randomUUID();
    signIn(tenant, Role.MEMBER);
    assertThat(TenantContext.currentTenant()).contains(tenant);
    UUID other = UUID.randomUUID();
    assertThat(TenantContext.callAs(other, TenantContext::currentTenant)).contains(other);
    assertThat(TenantContext.currentTenant()).contains(tenant);
  }

  @Test
  void nobodySignedInMeansNoTenant() {
    assertThat(TenantContext.currentTenant()).isEmpty();
    assertThatThrownBy(TenantContext::requireTenant).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMemberCannotOpenOrListAnotherTenantsObjects() {
    UUID mine = UUID.randomUUID();
    UUID theirs = UUID.randomUUID();
    signIn(mine, Role.MEMBER);
    String theirKey = ObjectKeys.datasetVersion(theirs, UUID.randomUUID(), 1) + "train.jsonl";
    assertThatThrownBy(() -> storage.tenantOpen(theirKey)).isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> storage.tenantList(ObjectKeys.tenantPrefix(theirs)))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(
            () -> storage.tenantOpen(ObjectKeys.tenantPrefix(mine) + "../" + theirs + "/x"))
        .isInstanceOf(SecurityException.class);
  }

  static void signIn(UUID tenant, Role role) {
    SignedInUser user =
        new SignedInUser(UUID.randomUUID(), tenant, "user-" + tenant, "User", role, "", true);
    SecurityContextHolder.getContext()
        .setAuthentication(new TestingAuthenticationToken(user, null, "ROLE_" + role));
  }
}
