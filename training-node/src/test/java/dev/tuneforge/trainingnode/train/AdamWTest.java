package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.trainingnode.model.TestEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  static {
    TestEngine.useOneThread();
  }

  /** Loss sum(w * c) has gradient c; values computed by hand from PyTorch's AdamW formulas. */
  @Test
  void matchesPyTorchsAdamWOnTwoSteps() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.create(new float[] {1f, -2f});
      weight.setRequiresGradient(true);
      NDArray coefficients = manager.create(new float[] {0.5f, -0.1f});
      double lr = 0.1;
      double decay = 0.01;
      try (AdamW adam = new AdamW(Map.of("w", weight), decay)) {
        for (int step = 1; step <= 2; step++) {
          try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
              collector.backward(coefficients.mul(weight).sum());
            }
            adam.step(scope, lr, 10.0);
          }
        }
        assertThat(adam.steps()).isEqualTo(2);
        assertThat(adam.firstMoments().get("w").toFloatArray())
            .containsExactly(new float[] {0.095f, -0.019f}, within(1e-6f));
      }
      // Each step: w *= 1 - lr * decay, then w -= lr * mhat / (sqrt(vhat) + eps), and with a
      // constant gradient mhat / sqrt(vhat) = sign(g).
      double w0 = 1.0;
      double w1 = -2.0;
      for (int step = 0; step < 2; step++) {
        w0 = w0 * (1 - lr * decay) - lr;
        w1 = w1 * (1 - lr * decay) + lr;
      }
      assertThat(weight.toFloatArray())
          .containsExactly(new float[] {(float) w0, (float) w1}, within(1e-5f));
      assertThat(weight.getGradient().toFloatArray()).containsOnly(0f);
    }
  }

  @Test
  void clipsByGlobalNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {0f});
      NDArray b = manager.create(new float[] {0f});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      NDArray three = manager.create(new float[] {3f});
      NDArray four = manager.create(new float[] {4f});
      try (AdamW adam = new AdamW(Map.of("a", a, "b", b), 0.0);
          NDManager scope = manager.newSubManager()) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(a.mul(three).add(b.mul(four)).sum());
        }
        double norm = adam.step(scope, 0.1, 1.0);

        assertThat(norm).isCloseTo(5.0, within(1e-6));
        // m = (1 - beta1) * clipped gradient: (0.6, 0.8) / 10
        assertThat(adam.firstMoments().get("a").getFloat(0)).isCloseTo(0.06f, within(1e-6f));
        assertThat(adam.firstMoments().get("b").getFloat(0)).isCloseTo(0.08f, within(1e-6f));
      }
    }
  }
}
