package dev.tuneforge.app.apikey;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ProvisioningController.TenantJson;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Deleting a tenant and undoing it, as the tenants page does: platform admins only, the deletion
 * confirmed by the tenant's name, undone during the grace period. Both are audited by the service.
 * A caller who is not a platform admin gets 403 before any look-up, so it learns nothing of which
 * tenants exist.
 */
@RestController
@PublicApi
class TenantDeletionController {
  private final TenantService tenants;

  TenantDeletionController(TenantService tenants) {
    this.tenants = tenants;
  }

  /** Schedules the deletion; 202, with the time its data is removed. */
  @DeleteMapping("/api/tenants/{tenant}")
  ResponseEntity<TenantJson> deleteTenant(
      @PathVariable String tenant, @RequestParam(required = false) @Nullable String confirm) {
    Tenant found = platformAdminsOnly(tenant);
    if (confirm == null || confirm.isBlank()) {
      throw new IllegalArgumentException(
          "Confirm the deletion with ?confirm= and the tenant's name '" + found.getName() + "'");
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(TenantJson.of(tenants.scheduleDeletion(found.getId(), confirm)));
  }

  @PostMapping("/api/tenants/{tenant}/restore")
  TenantJson restoreTenant(@PathVariable String tenant) {
    return TenantJson.of(tenants.undoDeletion(platformAdminsOnly(tenant).getId()));
  }

  private Tenant platformAdminsOnly(String ref) {
    if (CurrentUser.require().role() != Role.PLATFORM_ADMIN) {
      throw new AccessDeniedException("Only platform admins delete and restore tenants");
    }
    return ProvisioningController.find(tenants, ref)
        .orElseThrow(() -> new NoSuchElementException("No such tenant"));
  }
}
