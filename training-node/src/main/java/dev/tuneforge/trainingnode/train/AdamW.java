package dev.tuneforge.trainingnode.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.trainingnode.model.StepScalars;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * AdamW as PyTorch defines it (decoupled weight decay, bias correction), with moment arrays it owns
 * so that a checkpoint can save and restore them; DJL's optimizers cannot export theirs. Also clips
 * gradients by their global norm. Parameters named in {@code withoutDecay} (for full fine-tuning
 * the norms and biases) are not decayed, as a PyTorch parameter group with {@code weight_decay=0}
 * would have them.
 */
public final class AdamW implements AutoCloseable {

  /**
   * What a checkpoint keeps of the optimiser: its step count and both moments by parameter name.
   */
  public record State(
      int steps, Map<String, Tensor> firstMoments, Map<String, Tensor> secondMoments) {

    public State {
      firstMoments = Map.copyOf(firstMoments);
      secondMoments = Map.copyOf(secondMoments);
    }
  }

  private final Map<String, NDArray> parameters;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final Set<String> withoutDecay;
  private int steps;

  public AdamW(Map<String, NDArray> parameters, double weightDecay) {
    this(parameters, 0.9, 0.999, 1e-8, weightDecay, Set.of());
  }

  public AdamW(Map<String, NDArray> parameters, double weightDecay, Set<String> withoutDecay) {
    this(parameters, 0.9, 0.999, 1e-8, weightDecay, withoutDecay);
  }

  public AdamW(
      Map<String, NDArray> parameters,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay) {
    this(parameters, beta1, beta2, epsilon, weightDecay, Set.of());
  }

  public AdamW(
      Map<String, NDArray> parameters,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      Set<String> withoutDecay) {
    this.parameters = parameters;
    this.withoutDecay = Set.copyOf(withoutDecay);
    // the moments live beside their parameters, on the model's device
    this.manager =
        NDManager.newBaseManager(
            parameters.isEmpty() ? null : parameters.values().iterator().next().getDevice());
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    parameters.forEach(
        (name, p) -> {
          firstMoments.put(name, manager.zeros(p.getShape()));
          secondMoments.put(name, manager.zeros(p.getShape()));
        });
  }

  /**
   * Clips gradients to {@code maxGradNorm}, updates every parameter and zeroes its gradient. Runs
   * outside any GradientCollector. Returns the gradient norm before clipping. A gradient that is
   * not finite changes nothing and fails the run.
   */
  public double step(NDManager step, double learningRate, double maxGradNorm) {
    try (NDManager scope = step.newSubManager()) {
      // Parameters and moments join this scope so that every temporary their ops create
      // lands here and is freed with it; they return to their own managers on close.
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      parameters.forEach(
          (name, p) -> {
            NDArray gradient = p.getGradient();
            gradient.attach(scope);
            gradients.put(name, gradient);
            scope.tempAttachAll(p, firstMoments.get(name), secondMoments.get(name));
          });
      StepScalars scalars = new StepScalars(scope);
      double squares = 0;
      for (NDArray gradient : gradients.values()) {
        squares += gradient.mul(gradient).sum().getFloat();
      }
      double norm = Math.sqrt(squares);
      if (!Double.isFinite(norm)) {
        throw new TrainingFailedException(
            "the gradient norm became " + (Double.isNaN(norm) ? "NaN" : "infinite"));
      }
      steps++;
      if (norm > maxGradNorm) {
        NDArray clip = scalars.of(maxGradNorm / (norm + 1e-6));
        gradients.values().forEach(g -> g.muli(clip));
      }
      double correction1 = 1 - Math.pow(beta1, steps);
      double correction2 = 1 - Math.pow(beta2, steps);
      for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
        NDArray p = entry.getValue();
        NDArray g = gradients.get(entry.getKey());
        NDArray m = firstMoments.get(entry.getKey());
        NDArray v = secondMoments.get(entry.getKey());
        if (weightDecay > 0 && !withoutDecay.contains(entry.getKey())) {
          p.muli(scalars.of(1 - learningRate * weightDecay));
        }
        // Temporaries are updated in place: with full fine-tuning each one is the size of a weight.
        m.muli(scalars.of(beta1)).addi(g.mul(scalars.of(1 - beta1)));
        v.muli(scalars.of(beta2)).addi(g.mul(g).muli(scalars.of(1 - beta2)));
        NDArray denominator =
            v.sqrt().divi(scalars.of(Math.sqrt(correction2))).addi(scalars.of(epsilon));
        p.subi(m.div(denominator).muli(scalars.of(learningRate / correction1)));
        g.subi(g);
      }
      return norm;
    }
  }

  public int steps() {
    return steps;
  }

  public Map<String, NDArray> firstMoments() {
    return Collections.unmodifiableMap(firstMoments);
  }

  public Map<String, NDArray> secondMoments() {
    return Collections.unmodifiableMap(secondMoments);
  }

  /** Copies of the step count and moments, for a checkpoint. */
  public State state() {
    return new State(steps, export(firstMoments), export(secondMoments));
  }

  /**
   * Continues from a checkpoint's state; the parameter names and shapes must be those of this
   * optimiser.
   */
  public void restore(State state) {
    requireSameParameters(state.firstMoments(), "first moments");
    requireSameParameters(state.secondMoments(), "second moments");
    assign(firstMoments, state.firstMoments());
    assign(secondMoments, state.secondMoments());
    steps = state.steps();
  }

  /**
   * Overwrites arrays in place with tensors of the same names. In-place arithmetic outside a
   * GradientCollector, as {@link #step} updates parameters, so it also works on arrays that collect
   * gradients.
   */
  static void assign(Map<String, NDArray> targets, Map<String, Tensor> values) {
    targets.forEach(
        (name, target) -> {
          Tensor value = values.get(name);
          try (NDManager scope = target.getManager().newSubManager()) {
            scope.tempAttachAll(target);
            NDArray source = scope.create(value.values(), new Shape(value.shape()));
            target.muli(scope.create(0f)).addi(source);
          }
        });
  }

  private void requireSameParameters(Map<String, Tensor> saved, String what) {
    for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
      Tensor tensor = saved.get(entry.getKey());
      if (tensor == null
          || !Arrays.equals(tensor.shape(), entry.getValue().getShape().getShape())) {
        throw new IllegalArgumentException(
            "the checkpoint's optimizer " + what + " do not match the parameter " + entry.getKey());
      }
    }
    if (saved.size() != parameters.size()) {
      throw new IllegalArgumentException(
          "the checkpoint's optimizer " + what + " name other parameters than this model's");
    }
  }

  private static Map<String, Tensor> export(Map<String, NDArray> arrays) {
    Map<String, Tensor> tensors = new TreeMap<>();
    arrays.forEach(
        (name, array) ->
            tensors.put(name, new Tensor(array.getShape().getShape(), array.toFloatArray())));
    return tensors;
  }

  @Override
  public void close() {
    manager.close();
  }
}
