package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF as the specification lays it out, read back by our reader; Q8_0's error bound. */
class GgufFormatTest {

  @TempDir Path dir;

  @Test
  void keyValuesAndTensorsReadBackAsWritten() throws Exception {
    float[] matrix = random(64 * 3, 1, 7);
    float[] vector = random(3, 1, 8);
    Path file = dir.resolve("tiny.gguf");
    new GgufWriter()
        .put("general.architecture", "llama")
        .put("llama.block_count", 2)
        .put("llama.rope.freq_base", 10000f)
        .put("tokenizer.ggml.add_bos_token", true)
        .put("tokenizer.ggml.tokens", List.of("a", "b", "ü"))
        .put("tokenizer.ggml.token_type", new int[] {1, 3, 5})
        .addTensor("output_norm.weight", new long[] {3}, vector, GgufType.F32)
        .addTensor("token_embd.weight", new long[] {3, 64}, matrix, GgufType.F16)
        .addTensor("output.weight", new long[] {3, 64}, matrix, GgufType.Q8_0)
        .write(file);

    GgufFile read = GgufFile.read(file);
    assertThat(read.metadata())
        .containsEntry("general.architecture", "llama")
        .containsEntry("llama.block_count", 2L)
        .containsEntry("llama.rope.freq_base", 10000.0)
        .containsEntry("tokenizer.ggml.add_bos_token", true)
        .containsEntry("tokenizer.ggml.tokens", List.of("a", "b", "ü"))
        .containsEntry("tokenizer.ggml.token_type", List.of(1L, 3L, 5L));
    assertThat(read.tensors())
        .extracting(GgufFile.TensorInfo::name)
        .containsExactly("output_norm.weight", "token_embd.weight", "output.weight");
    // ggml counts dimensions innermost first.
    assertThat(read.tensor("token_embd.weight").dims()).containsExactly(64, 3);
    assertThat(read.tensor("output.weight").type()).isEqualTo(GgufType.Q8_0);
    assertThat(read.dataStart() % GgufWriter.ALIGNMENT).isZero();
    assertThat(read.tensors()).allSatisfy(t -> assertThat(t.offset() % 32).isZero());
    assertThat(read.values("output_norm.weight")).containsExactly(vector);
    float[] half = read.values("token_embd.weight");
    for (int i = 0; i < matrix.length; i++) {
      assertThat(half[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(matrix[i])));
    }
    assertThat(Files.size(file))
        .isEqualTo(read.dataStart() + read.tensor("output.weight").offset() + 224);
    // 6 blocks of 34 bytes, padded to the alignment: the file ends on it too.
  }

  @Test
  void q8ZeroKeepsEveryValueWithinHalfAStepOfItsBlock() {
    // Blocks of very different magnitudes, and one of zeros, as real weights have.
    float[] values = new float[32 * 200];
    SplittableRandom random = new SplittableRandom(3);
    for (int block = 0; block < 200; block++) {
      double scale = block == 17 ? 0 : Math.pow(10, random.nextDouble(-4, 1));
      for (int i = 0; i < 32; i++) {
        values[block * 32 + i] = (float) (random.nextDouble(-1, 1) * scale);
      }
    }
    ByteBuffer bytes =
        ByteBuffer.allocate((int) GgufType.Q8_0.bytes(values.length))
            .order(ByteOrder.LITTLE_ENDIAN);
    GgufType.Q8_0.encode(values, 0, values.length, bytes);
    assertThat(bytes.position()).isEqualTo(200 * 34);
    float[] restored =
        GgufType.Q8_0.decode(
            bytes.flip().duplicate().order(ByteOrder.LITTLE_ENDIAN), values.length);
    double worst = 0;
    for (int block = 0; block < 200; block++) {
      float scale = Float.float16ToFloat(bytes.getShort(block * 34));
      for (int i = block * 32; i < block * 32 + 32; i++) {
        double error = Math.abs(values[i] - restored[i]);
        assertThat(error).as("value %d", i).isLessThanOrEqualTo(scale / 2);
        worst = Math.max(worst, error / Math.max(scale, Float.MIN_VALUE));
      }
    }
    assertThat(restored).as("the zero block").containsSequence(new float[32]);
    assertThat(worst).isGreaterThan(0.3).isLessThanOrEqualTo(0.5);
  }

  @Test
  void rowsThatQ8ZeroCannotBlockAreRefusedByName() {
    assertThatThrownBy(
            () ->
                new GgufWriter()
                    .addTensor(
                        "blk.0.ffn_down.weight", new long[] {2, 40}, new float[80], GgufType.Q8_0))
        .hasMessageContaining("blk.0.ffn_down.weight")
        .hasMessageContaining("40");
  }

  @Test
  void aFileThatIsNotGgufIsRefusedNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("model.gguf"), "not a gguf file at all");
    assertThatThrownBy(() -> GgufFile.read(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("magic");
  }

  /**
   * Hugging Face rotates the halves of each head, ggml's llama adjacent pairs: with q and k rows
   * permuted as the export does, ggml's rotation gives the same vectors, permuted alike, and so the
   * same attention scores.
   */
  @Test
  void permutedQueryRowsRotateInPairsAsHuggingFaceRotatesHalves() {
    int heads = 3;
    int headDim = 8;
    int in = 5;
    float[] weight = random(heads * headDim * in, 1, 11);
    float[] x = random(in, 1, 12);
    float[] permutedWeight = GgufExport.permuteRotaryRows(weight, heads, headDim);
    for (int position : new int[] {0, 1, 7, 300}) {
      float[] huggingFace =
          rotateHalves(multiply(weight, x, heads * headDim), heads, headDim, position);
      float[] ggml =
          rotatePairs(multiply(permutedWeight, x, heads * headDim), heads, headDim, position);
      float[] expected = GgufExport.permuteRotaryRows(huggingFace, heads, headDim);
      for (int i = 0; i < expected.length; i++) {
        assertThat(ggml[i]).as("position %d, row %d", position, i).isCloseTo(expected[i], within());
      }
    }
  }

  private static Offset<Float> within() {
    return Offset.offset(1e-4f);
  }

  private static float[] multiply(float[] weight, float[] x, int rows) {
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < x.length; c++) {
        y[r] += weight[r * x.length + c] * x[c];
      }
    }
    return y;
  }

  private static double angle(int pair, int headDim, int position) {
    return position * Math.pow(10000, -2.0 * pair / headDim);
  }

  /** transformers' rotate_half: dimension i pairs with i + d/2. */
  private static float[] rotateHalves(float[] q, int heads, int headDim, int position) {
    float[] out = q.clone();
    int half = headDim / 2;
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < half; i++) {
        double a = angle(i, headDim, position);
        float x1 = q[h * headDim + i];
        float x2 = q[h * headDim + i + half];
        out[h * headDim + i] = (float) (x1 * Math.cos(a) - x2 * Math.sin(a));
        out[h * headDim + i + half] = (float) (x2 * Math.cos(a) + x1 * Math.sin(a));
      }
    }
    return out;
  }

  /** ggml's rope for llama: dimension 2i pairs with 2i + 1. */
  private static float[] rotatePairs(float[] q, int heads, int headDim, int position) {
    float[] out = q.clone();
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < headDim / 2; i++) {
        double a = angle(i, headDim, position);
        float x1 = q[h * headDim + 2 * i];
        float x2 = q[h * headDim + 2 * i + 1];
        out[h * headDim + 2 * i] = (float) (x1 * Math.cos(a) - x2 * Math.sin(a));
        out[h * headDim + 2 * i + 1] = (float) (x2 * Math.cos(a) + x1 * Math.sin(a));
      }
    }
    return out;
  }

  static float[] random(int count, double spread, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextDouble(-spread, spread);
    }
    return values;
  }
}
