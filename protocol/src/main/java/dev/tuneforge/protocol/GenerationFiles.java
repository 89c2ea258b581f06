package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A generation's files signed again ({@link NodeApi#GENERATION_FILES}): its base model's and its
 * adapter's (null when it serves the base alone), with the cache keys and names of the request's
 * own.
 */
public record GenerationFiles(ModelFiles baseModel, @Nullable ModelFiles adapter) {}
