package dev.tuneforge.protocol;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One GPU of a node as its engine reports it: its index on the node, name, total and free memory in
 * bytes, the CUDA runtime and driver versions where known, and the job it runs ({@code null} when
 * free). Sent at enrolment and in every heartbeat; a simulated GPU (a node option for tests) says
 * so in its name.
 */
public record Gpu(
    int index,
    String name,
    long memoryBytes,
    long freeMemoryBytes,
    @Nullable String cudaVersion,
    @Nullable String driverVersion,
    @Nullable UUID jobId) {

  /** The same GPU, now running {@code job} (or free when null), with {@code free} bytes free. */
  public Gpu running(@Nullable UUID job, long free) {
    return new Gpu(index, name, memoryBytes, free, cudaVersion, driverVersion, job);
  }
}
