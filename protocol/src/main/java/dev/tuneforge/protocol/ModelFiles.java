package dev.tuneforge.protocol;

import java.util.Map;

/**
 * The files of a model or an adapter a node downloads to serve it. {@code cacheKey} names the
 * content: equal keys mean equal files, so a node that holds a folder under that key downloads
 * nothing (a base model's object prefix, such as {@code models/demo-tiny/}; an adapter's id, such
 * as the fine-tune job's id). {@code files} maps each file's name in the folder ({@code
 * config.json}, {@code tokenizer.json}, {@code model.safetensors}; {@code adapter_config.json},
 * {@code adapter_model.safetensors}) to a presigned GET URL, as a {@link Lease}'s inputs give them;
 * no name is a path.
 */
public record ModelFiles(String cacheKey, Map<String, String> files) {

  public ModelFiles {
    if (cacheKey.isBlank()) {
      throw new IllegalArgumentException("a model's files need a cache key");
    }
    files = Map.copyOf(files);
    for (String name : files.keySet()) {
      if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
        throw new IllegalArgumentException("a model's file is named without a path, not " + name);
      }
    }
  }
}
