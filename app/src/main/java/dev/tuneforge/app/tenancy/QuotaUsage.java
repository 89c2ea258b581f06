package dev.tuneforge.app.tenancy;

import org.jspecify.annotations.Nullable;

/**
 * One quota of a tenant: its limit and what the tenant uses of it now; {@code used} is null where
 * no feature counts it on this instance.
 */
public record QuotaUsage(Quota quota, long limit, @Nullable Long used) {}
