package dev.tuneforge.app.apikey;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A key of {@code owner} was revoked. */
public record ApiKeyRevoked(@Nullable UUID tenantId, UUID keyId, String owner, String keyName) {}
