package dev.tuneforge.protocol;

import java.util.List;

/**
 * A node that merged a model asks for upload URLs for its files, named as in {@link
 * JobFolder#MERGED_MODEL} (no path); the app signs only names {@link JobFolder#isMergedModelFile}
 * takes.
 */
public record MergedFiles(List<String> files) {}
