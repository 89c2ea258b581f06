package dev.tuneforge.app.tenancy;

import java.util.UUID;

/** A platform admin created a tenant or changed its budget or single sign-on group. */
public record TenantChanged(UUID tenantId, String name, Change change, String detail) {

  /** What changed. */
  public enum Change {
    CREATED,
    BUDGET,
    SSO_GROUP
  }
}
