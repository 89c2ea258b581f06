package dev.tuneforge.trainingnode.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.ReferenceCase;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.reference.TorchPython;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves KV-cached greedy decoding equal to an independent PyTorch reference ({@code
 * src/test/python/reference_generate.py}, float64, no cache) for every supported architecture with
 * a non-zero LoRA: the same new tokens, alone and left-padded in a batch. A divergence is allowed
 * only where the reference's two best logits lie within {@link #TIE_MARGIN}, where float32 may
 * rightly choose the other. Skipped without {@code /usr/bin/python3} with torch, failed then when
 * {@code -Dtuneforge.reference.required=true}, as {@code PyTorchReferenceTest} does.
 */
class GreedyReferenceTest {

  static {
    TestEngine.useOneThread();
  }

  static final double TIE_MARGIN = 1e-4;
  static final int NEW_TOKENS = 16;
  static final long[] PROMPT = {5, 17, 99, 3, 250, 42, 7, 120, 8, 9, 10};
  static final long[] LONGER_PROMPT = {64, 33, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

  private static final Path SCRIPT = Path.of("src/test/python/reference_generate.py");

  private static String python = "";
  private static @Nullable String torchProblem;

  @TempDir static Path dir;

  @BeforeAll
  static void findPythonWithTorch() {
    python = TorchPython.path();
    torchProblem = TorchPython.problem();
  }

  @ParameterizedTest
  @EnumSource(ReferenceCase.class)
  void greedyContinuationEqualsPyTorch(ReferenceCase testCase) throws Exception {
    assumeTrue(
        torchProblem == null,
        () ->
            "skipped: "
                + torchProblem
                + "; install Debian's python3-torch (or point -Dtuneforge.reference.python"
                + " at a python with torch) to compare generation with PyTorch");
    Path caseDir = dir.resolve(testCase.name().toLowerCase());
    Path modelDir = caseDir.resolve("model");
    testCase.model().writeTo(modelDir);

    GenerationResult alone;
    GenerationResult padded;
    try (LlamaModel model = LlamaModel.load(modelDir, LoraFixtures.ALL_PROJECTIONS, 3);
        HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      LoraFixtures.randomizeLoraB(model, 23);
      Map<String, Tensor> inputs = new TreeMap<>(model.exportLora());
      inputs.put("prompt", new Tensor(new long[] {1, PROMPT.length}, floats(PROMPT)));
      SafeTensors.write(caseDir.resolve("inputs.safetensors"), inputs, Map.of());
      Files.writeString(
          caseDir.resolve("generate.json"),
          "{\"r\": "
              + LoraFixtures.ALL_PROJECTIONS.r()
              + ", \"alpha\": "
              + LoraFixtures.ALL_PROJECTIONS.alpha()
              + ", \"max_new_tokens\": "
              + NEW_TOKENS
              + "}");
      Generator generator =
          Generator.builder()
              .setModel(model)
              .setTokenizer(tokenizer)
              .optEosTokenIds(Set.of())
              .optMaxNewTokens(NEW_TOKENS)
              .build();
      alone = generator.generateFromIds(PROMPT);
      padded = generator.generateFromIds(List.of(PROMPT, LONGER_PROMPT)).getFirst();
    }

    Map<String, Tensor> reference = runReference(caseDir);
    float[] expected = reference.get("tokens").values();
    float[] margins = reference.get("margins").values();
    double smallestMargin = Double.MAX_VALUE;
    for (float margin : margins) {
      smallestMargin = Math.min(smallestMargin, margin);
    }
    System.out.printf(
        "PyTorch greedy reference, %s: %d new tokens, smallest top-2 logit margin %.3g; cached %s, padded %s%n",
        testCase,
        NEW_TOKENS,
        smallestMargin,
        agreement(alone.tokenIds(), expected),
        agreement(padded.tokenIds(), expected));
    assertEqualUpToTies("alone", alone.tokenIds(), expected, margins);
    assertEqualUpToTies("left-padded", padded.tokenIds(), expected, margins);
  }

  private static void assertEqualUpToTies(
      String what, long[] actual, float[] expected, float[] margins) {
    assertThat(actual).as(what).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      if (actual[i] != (long) expected[i]) {
        assertThat((double) margins[i])
            .as(
                what
                    + ": token "
                    + i
                    + " is "
                    + actual[i]
                    + " but PyTorch chose "
                    + (long) expected[i]
                    + " by a margin of")
            .isLessThan(TIE_MARGIN);
        return;
      }
    }
  }

  private static String agreement(long[] actual, float[] expected) {
    int same = 0;
    while (same < expected.length && actual[same] == (long) expected[same]) {
      same++;
    }
    return same == expected.length ? "all equal" : "equal for " + same + " tokens";
  }

  private static float[] floats(long[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = values[i];
    }
    return floats;
  }

  private static Map<String, Tensor> runReference(Path caseDir)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(python, SCRIPT.toString(), caseDir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail("the PyTorch reference failed:\n" + output);
    }
    return SafeTensors.read(caseDir.resolve("reference.safetensors")).tensors();
  }
}
