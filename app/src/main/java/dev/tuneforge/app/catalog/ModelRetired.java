package dev.tuneforge.app.catalog;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An admin retired a base model from new fine-tunes. */
public record ModelRetired(@Nullable UUID tenantId, UUID modelId, String name) {}
