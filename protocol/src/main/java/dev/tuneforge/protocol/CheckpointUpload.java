package dev.tuneforge.protocol;

import java.util.List;

/**
 * A node asks for upload URLs for one checkpoint folder's files, named as in the folder (no path).
 * The app signs only the names of {@link JobFolder#checkpointFiles(boolean)}.
 */
public record CheckpointUpload(List<String> files) {}
