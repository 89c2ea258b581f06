package dev.tuneforge.app.tenancy;

import java.util.UUID;

/** A platform admin ({@code requestedBy}) undid a tenant's deletion during its grace period. */
public record TenantDeletionUndone(UUID tenantId, String name, String requestedBy) {}
