package dev.tuneforge.app.tenancy;

import java.time.Instant;
import java.util.UUID;

/** Every row and object of a tenant was removed after its grace period, at {@code at}. */
public record TenantDeleted(UUID tenantId, String name, Instant at) {}
