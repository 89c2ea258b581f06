package dev.tuneforge.trainingnode.reference;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The python that runs the PyTorch reference scripts of {@code src/test/python}: {@code
 * -Dtuneforge.reference.python}, else {@code /usr/bin/python3} (Debian's {@code python3-torch}).
 * Without torch the comparisons are skipped, or fail when {@code
 * -Dtuneforge.reference.required=true}.
 */
public final class TorchPython {

  private TorchPython() {}

  public static String path() {
    return System.getProperty("tuneforge.reference.python", "/usr/bin/python3");
  }

  /**
   * Why {@link #path()} cannot run the references, or null when it can.
   *
   * @throws AssertionError when it cannot and the reference is required
   */
  public static @Nullable String problem() {
    String problem = problem(path());
    if (problem != null && Boolean.getBoolean("tuneforge.reference.required")) {
      fail("the PyTorch reference is required but " + problem);
    }
    return problem;
  }

  private static @Nullable String problem(String python) {
    if (!Files.isExecutable(Path.of(python))) {
      return python + " does not exist";
    }
    try {
      Process process =
          new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return python
            + " cannot import torch: "
            + output.strip().lines().reduce((a, b) -> b).orElse("");
      }
      return null;
    } catch (IOException | InterruptedException e) {
      return python + " could not be run: " + e.getMessage();
    }
  }
}
