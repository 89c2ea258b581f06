package dev.tuneforge.trainingnode.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Nf4Test {

  @Test
  void theSixteenValuesSpanMinusOneToOneWithAnExactZeroAndOneMorePositiveValue() {
    float[] values = Nf4.values();
    assertThat(values).hasSize(16).isSorted();
    assertThat(values[0]).isEqualTo(-1f);
    assertThat(values[7]).isEqualTo(0f);
    assertThat(values[15]).isEqualTo(1f);
    // Quantiles of N(0, 1): the positive side has 8 values, the negative 7, so they differ.
    assertThat(values[8]).isNotEqualTo(-values[6]);
    assertThat(Nf4.scaleMap()).hasSize(256).isSorted().contains(0f, 1f);
  }

  @Test
  void twoCodesShareAByteTheFirstInTheHighNibble() {
    Nf4Tensor nf4 = Nf4.quantize(new float[] {2f, -2f, 0f}, new long[] {3});
    assertThat(nf4.codes()).containsExactly((byte) 0xF0, (byte) 0x70);
    assertThat(nf4.dequantize()).containsExactly(2f, -2f, 0f);
  }

  @Test
  void valuesOnTheGridOfASingleBlockComeBackExactly() {
    float[] grid = new float[16];
    for (int i = 0; i < 16; i++) {
      grid[i] = Nf4.values()[i] * 0.25f;
    }
    assertThat(Nf4.quantize(grid, new long[] {4, 4}).dequantize()).containsExactly(grid);
  }

  @Test
  void aGaussianMatrixComesBackWithinHalfTheWidestGapPlusTheScalesOwnError() {
    Random random = new Random(1);
    float[] weights = new float[256 * 192];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * 0.02);
    }
    Nf4Tensor nf4 = Nf4.quantize(weights, new long[] {256, 192});
    float[] back = nf4.dequantize();
    float[] scales = nf4.blockScales();
    double widestHalfGap = 0;
    for (int i = 1; i < 16; i++) {
      widestHalfGap = Math.max(widestHalfGap, (Nf4.values()[i] - Nf4.values()[i - 1]) / 2.0);
    }
    float[] absmax = new float[scales.length];
    for (int i = 0; i < weights.length; i++) {
      absmax[i / Nf4.BLOCK] = Math.max(absmax[i / Nf4.BLOCK], Math.abs(weights[i]));
    }
    double sumSquares = 0;
    for (int i = 0; i < weights.length; i++) {
      int block = i / Nf4.BLOCK;
      double error = Math.abs(back[i] - weights[i]);
      // rounding to the nearest code, plus the error of the 8-bit scale it is multiplied by
      assertThat(error)
          .isLessThanOrEqualTo(
              widestHalfGap * absmax[block] + Math.abs(scales[block] - absmax[block]) + 1e-7);
      sumSquares += error * error;
    }
    double rms = Math.sqrt(sumSquares / weights.length);
    assertThat(rms).as("RMS error against the weights' 0.02 spread").isLessThan(0.002);
  }

  @Test
  void theStoreTakesAboutHalfAByteAWeight() {
    Nf4Tensor nf4 = Nf4.quantize(new float[4096 * 1024], new long[] {4096, 1024});
    // 0.5 for the codes, 1/64 for the 8-bit scales, 4/(64 * 256) for their absmax, 4 for the mean
    assertThat(nf4.bytes()).isEqualTo(4096L * 1024 / 2 + 4096 * 1024 / 64 + 4 * 256 + 4);
    assertThat(nf4.bytes() / (4096.0 * 1024)).isBetween(0.515, 0.517);
  }

  @Test
  void aBlockOfZerosStaysZeroWithoutNaN() {
    float[] values = new float[128];
    values[100] = 3f;
    float[] back = Nf4.quantize(values, new long[] {128}).dequantize();
    for (int i = 0; i < 64; i++) {
      assertThat(back[i]).isZero();
    }
    assertThat(back[100]).isCloseTo(3f, org.assertj.core.data.Offset.offset(0.03f));
  }

  @Test
  void aShapeThatDoesNotMatchTheValuesIsRefused() {
    assertThatThrownBy(() -> Nf4.quantize(new float[6], new long[] {2, 4}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape holds 8 values, the array 6");
  }
}
