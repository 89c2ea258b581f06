package dev.tuneforge.trainingnode.model;

/** Test-only engine settings, applied before PyTorch first loads in the test JVM. */
public final class TestEngine {

  private TestEngine() {}

  /**
   * One intra-op thread: on a shared 2-core machine PyTorch's spinning OpenMP threads made steps up
   * to ten times slower under load, and the tiny models gain nothing from two.
   */
  public static void useOneThread() {
    System.setProperty("ai.djl.pytorch.num_threads", "1");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
