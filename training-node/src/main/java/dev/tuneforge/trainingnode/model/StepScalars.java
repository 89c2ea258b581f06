package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * 0-d constant arrays owned by one step's manager. DJL's scalar overloads ({@code mul(float)} and
 * friends) wrap the scalar in a buffer that can be freed before {@code backward()} reads it, which
 * corrupts gradients; constants held here live exactly as long as the step.
 */
public final class StepScalars {

  private final NDManager manager;
  private final Map<Float, NDArray> constants = new HashMap<>();

  public StepScalars(NDManager manager) {
    this.manager = manager;
  }

  public NDArray of(double value) {
    return constants.computeIfAbsent((float) value, manager::create);
  }
}
