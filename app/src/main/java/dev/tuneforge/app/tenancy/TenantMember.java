package dev.tuneforge.app.tenancy;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A signed-in principal that belongs to a tenant (or to none, for platform admins). */
public interface TenantMember {
  UUID userId();

  @Nullable UUID tenantId();
}
