package dev.tuneforge.trainingnode.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.quant.Nf4;
import dev.tuneforge.trainingnode.quant.Nf4Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves QLoRA's NF4 base equal to an independent PyTorch reference written from the QLoRA paper
 * ({@code src/test/python/reference_nf4.py}): the NF4 values and the scales' 8-bit map, the packed
 * codes, the double-quantised scales bit for bit, the dequantised values; and the loss and LoRA
 * gradients of the model over an NF4 base equal to {@code reference_model.py}'s on the weights the
 * reference dequantised. Needs what {@link PyTorchReferenceTest} needs.
 */
class QLoraReferenceTest {

  static {
    TestEngine.useOneThread();
  }

  private static final Path SCRIPT = Path.of("src/test/python/reference_nf4.py");

  @TempDir static Path dir;

  @BeforeAll
  static void findPythonWithTorch() {
    PyTorchReferenceTest.findPythonWithTorch();
  }

  @Test
  void quantisationAndDequantisationEqualTheReference() throws Exception {
    assumeTrue(
        PyTorchReferenceTest.torchProblem == null,
        () -> "skipped: " + PyTorchReferenceTest.torchProblem);
    Path caseDir = dir.resolve("nf4");
    Random random = new Random(5);
    Map<String, Tensor> inputs = new TreeMap<>();
    // Whole blocks; more than 256 blocks, so two scale blocks, the second partial; an odd count
    // with a partial block; a block of zeros beside outliers.
    inputs.put("whole", gaussian(random, 96, 40));
    inputs.put("two_scale_blocks", gaussian(random, 320, 80));
    inputs.put("odd", gaussian(random, 7, 9));
    Tensor mixed = gaussian(random, 4, 64);
    for (int i = 0; i < 64; i++) {
      mixed.values()[64 + i] = 0;
    }
    mixed.values()[3] = 40f;
    mixed.values()[200] = -0.001f;
    inputs.put("zeros_and_outliers", mixed);
    SafeTensors.write(caseDir.resolve("nf4_inputs.safetensors"), inputs, Map.of());

    PyTorchReferenceTest.runPython(SCRIPT, caseDir.toString());
    Map<String, Tensor> reference =
        SafeTensors.read(caseDir.resolve("nf4_reference.safetensors")).tensors();

    assertThat(Nf4.values())
        .as("NF4 values from the paper's construction")
        .containsExactly(reference.get("nf4_values").values());
    assertThat(Nf4.scaleMap())
        .as("the scales' 8-bit dynamic map")
        .containsExactly(reference.get("scale_map").values());
    for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
      String name = input.getKey();
      Nf4Tensor nf4 = Nf4.quantize(input.getValue().values(), input.getValue().shape());
      assertThat(asFloats(nf4.codes()))
          .as("packed codes of " + name)
          .containsExactly(reference.get("packed/" + name).values());
      assertThat(asFloats(nf4.scaleCodes()))
          .as("8-bit scale codes of " + name)
          .containsExactly(reference.get("scale_codes/" + name).values());
      assertThat(nf4.scaleAbsmax())
          .as("scale blocks' absmax of " + name)
          .containsExactly(reference.get("scale_absmax/" + name).values());
      assertThat(nf4.scaleOffset())
          .as("scales' mean of " + name)
          .isEqualTo(reference.get("scale_offset/" + name).values()[0]);
      float[] expected = reference.get("dequantized/" + name).values();
      double diff = PyTorchReferenceTest.maxAbsDiff(nf4.dequantize(), expected);
      double error =
          PyTorchReferenceTest.maxAbsDiff(nf4.dequantize(), input.getValue().values())
              / PyTorchReferenceTest.maxAbs(input.getValue().values());
      System.out.printf(
          "NF4 reference, %s (%d values): codes and scales equal, dequantised max abs diff %.3g;"
              + " quantisation error max %.3g of the tensor's absmax%n",
          name, nf4.count(), diff, error);
      assertThat(diff)
          .as("dequantised " + name)
          .isLessThanOrEqualTo(1e-7 * PyTorchReferenceTest.maxAbs(expected));
    }
  }

  /**
   * The Java model over its own NF4 base against the reference model over the reference's
   * dequantised weights: the same logits, loss and LoRA gradients as for plain LoRA.
   */
  @ParameterizedTest
  @ValueSource(strings = {"LlamaForCausalLM", "Qwen2ForCausalLM"})
  void lossAndLoraGradientsOverAnNf4BaseEqualTheReference(String architecture) throws Exception {
    assumeTrue(
        PyTorchReferenceTest.torchProblem == null,
        () -> "skipped: " + PyTorchReferenceTest.torchProblem);
    Path caseDir = dir.resolve("qlora_" + architecture);
    Path original = caseDir.resolve("original");
    DemoModelWriter.builder()
        .optSeed(17)
        .optHiddenSize(64)
        .optIntermediateSize(96)
        .optLayers(2)
        .optHeads(4, 2)
        .optArchitecture(architecture)
        .optDataType(architecture.startsWith("Qwen2") ? DataType.BF16 : DataType.F32)
        .build()
        .writeTo(original);
    PyTorchReferenceTest.runPython(
        SCRIPT, "--model", original.toString(), caseDir.resolve("model").toString());
    PyTorchReferenceTest.compareWithReference(
        "QLoRA over NF4, " + architecture,
        caseDir,
        new LoraSettings(4, 8, 0, PyTorchReferenceTest.ALL),
        PyTorchReferenceTest.batch(),
        lora -> LlamaModel.loadQuantized(original, lora, 3));
  }

  private static Tensor gaussian(Random random, int rows, int columns) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.02);
    }
    return new Tensor(new long[] {rows, columns}, values);
  }

  private static float[] asFloats(byte[] bytes) {
    float[] floats = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      floats[i] = bytes[i] & 0xFF;
    }
    return floats;
  }
}
