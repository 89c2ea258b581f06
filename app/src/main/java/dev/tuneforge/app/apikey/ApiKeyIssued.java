package dev.tuneforge.app.apikey;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A key was issued to {@code owner} (by them or an admin); the key's text is never in it. */
public record ApiKeyIssued(@Nullable UUID tenantId, UUID keyId, String owner, String keyName) {}
