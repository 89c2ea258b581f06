package dev.tuneforge.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Finds the jars the launcher runs as separate processes, and the java binary to run them. */
final class Artifacts {
  private Artifacts() {}

  static Path java() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return Files.isExecutable(java) ? java : Path.of("java");
  }

  /**
   * System property {@code tuneforge.s3proxy.jar}, else next to the launcher jar, else the build
   * output.
   */
  static Path s3proxyJar() {
    List<Path> candidates = new ArrayList<>();
    Path jarDir = launcherJarDirectory();
    if (jarDir != null) {
      candidates.add(jarDir.resolve("s3proxy/s3proxy.jar"));
    }
    candidates.add(Path.of("launcher/target/s3proxy/s3proxy.jar"));
    candidates.add(Path.of("target/s3proxy/s3proxy.jar"));
    return find("tuneforge.s3proxy.jar", candidates, "./mvnw -B -DskipTests install");
  }

  /** System property {@code tuneforge.node.jar}, else the training-node module's build output. */
  static Path nodeJar() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("training-node/target/training-node.jar"));
    candidates.add(Path.of("../training-node/target/training-node.jar"));
    Path jarDir = launcherJarDirectory();
    if (jarDir != null) {
      candidates.add(jarDir.resolve("../../training-node/target/training-node.jar"));
    }
    return find("tuneforge.node.jar", candidates, "./mvnw -B -DskipTests install");
  }

  private static Path find(String property, List<Path> candidates, String hint) {
    String configured = System.getProperty(property);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(
            "-D" + property + " points at " + path + ", which does not exist");
      }
      return path;
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "Could not find "
            + candidates.getFirst().getFileName()
            + " (looked at "
            + candidates
            + "). Build it with '"
            + hint
            + "' or set -D"
            + property
            + "=PATH.");
  }

  /** The folder of the jar this class was loaded from, or null when it runs from classes. */
  private static @Nullable Path launcherJarDirectory() {
    try {
      var source = LocalPlatform.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      String location = source.getLocation().toString();
      // Inside a Spring Boot fat jar the location is jar:nested:/path/app.jar/!BOOT-INF/classes/!/
      int nested = location.indexOf("nested:");
      if (nested >= 0) {
        String path = location.substring(nested + "nested:".length());
        int end = path.indexOf("/!");
        return Path.of(end >= 0 ? path.substring(0, end) : path).toAbsolutePath().getParent();
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? path.toAbsolutePath().getParent() : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
