package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.ModelFiles;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A model the caller may generate with: its name as the caller gave it, the tenant it is served
 * for, its base model, the fine-tune whose adapter (or tuned model) it is, and the files a node
 * downloads for it.
 */
public record ServedModel(
    String name,
    UUID tenantId,
    UUID baseModelId,
    String baseModelName,
    @Nullable UUID jobId,
    ModelFiles base,
    @Nullable ModelFiles adapter) {}
