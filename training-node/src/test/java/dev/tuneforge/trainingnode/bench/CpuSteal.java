package dev.tuneforge.trainingnode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the hypervisor gave to others (steal) while a side ran, from /proc/stat: on a shared
 * virtual machine it says how far a timing can be trusted.
 */
final class CpuSteal {

  private long steal;
  private long total;

  /** Ticks {@code [steal, total]} of all CPUs since boot, or zeros where /proc/stat is missing. */
  static long[] now() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        total += Long.parseLong(fields[i]);
      }
      return new long[] {fields.length > 8 ? Long.parseLong(fields[8]) : 0, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  void add(long[] before, long[] after) {
    steal += after[0] - before[0];
    total += after[1] - before[1];
  }

  /** Percent of CPU time stolen, or NaN when nothing was measured. */
  double percent() {
    return total == 0 ? Double.NaN : 100.0 * steal / total;
  }
}
