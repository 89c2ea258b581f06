package dev.tuneforge.app;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository's {@code shared/} folder (datasets, models), found from the working
 * directory up.
 */
public final class SharedFiles {
  private SharedFiles() {}

  /**
   * {@code relative} resolved against the working directory, one of its parents, or a sibling of
   * either.
   */
  public static Path locate(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      for (Path candidate : new Path[] {dir.resolve(relative), dir.resolveSibling(relative)}) {
        if (Files.exists(candidate)) {
          return candidate;
        }
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find " + relative + " above " + Path.of("").toAbsolutePath());
  }
}
