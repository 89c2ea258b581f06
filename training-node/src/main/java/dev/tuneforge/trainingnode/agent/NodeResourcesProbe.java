package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Gpu;
import dev.tuneforge.protocol.NodeResources;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What this machine offers, as the app's dispatcher needs it to fit jobs to nodes. */
final class NodeResourcesProbe {
  private NodeResourcesProbe() {}

  static NodeResources probe(String device, List<Gpu> gpus) {
    long memory =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    return new NodeResources(
        device,
        gpus.isEmpty() ? cpuName() : gpus.getFirst().name(),
        memory,
        Runtime.getRuntime().availableProcessors(),
        gpus);
  }

  static String cpuName() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          int colon = line.indexOf(':');
          if (colon >= 0 && !line.substring(colon + 1).isBlank()) {
            return line.substring(colon + 1).strip();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc hidden: the architecture still tells an admin something
    }
    return System.getProperty("os.arch");
  }
}
