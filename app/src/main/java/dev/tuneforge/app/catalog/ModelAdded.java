package dev.tuneforge.app.catalog;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A base model was uploaded, imported or registered ({@code tenantId} null for a platform model).
 */
public record ModelAdded(@Nullable UUID tenantId, UUID modelId, String name) {}
