package dev.tuneforge.protocol;

import java.util.Map;

/** The app's answer to a {@link CheckpointUpload}: a presigned PUT URL per file name. */
public record CheckpointUrls(Map<String, String> urls) {}
