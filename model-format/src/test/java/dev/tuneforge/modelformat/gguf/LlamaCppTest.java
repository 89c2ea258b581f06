package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our F16, Q8_0 and Q4_K_M GGUF exports of real-layout models (their hub configs made small, their
 * real tokenizers) loaded in llama.cpp itself: npm's node-llama-cpp with llama.cpp's prebuilt CPU
 * libraries (fetched by bin/fetch-llama-cpp; node runs src/test/node/llama-cpp.mjs). llama.cpp must
 * load each file, tokenize a sample as our tokenizer does from tokenizer.json, and generate; the
 * quantised files' next-token logits must stay close to the F16 file's, and their greedy choice
 * after the sample be the F16 file's.
 */
class LlamaCppTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path LLAMA_CPP = RealTokenizers.cache().resolve("llama-cpp");
  private static final String SAMPLE =
      "Receipt #4821 from Café Ünter den Linden, 12/03/2024:\n"
          + "  3 x espresso @ 2.50 EUR = 7.50\n\tTotal paid: 1234567 cents; thank you!";
  private static final int GENERATED = 8;

  @TempDir Path dir;

  enum Exported {
    QWEN3(HubModel.QWEN3_0_6B),
    LLAMA(HubModel.LLAMA3_2_1B),
    GEMMA3(HubModel.GEMMA3_270M);

    final HubModel model;

    Exported(HubModel model) {
      this.model = model;
    }
  }

  @ParameterizedTest
  @EnumSource(Exported.class)
  void llamaCppLoadsEachExportTokenizesAsWeDoAndGenerates(Exported exported) throws Exception {
    Path tokenizer = GgufExportTest.requireReady(exported.model);
    requireLlamaCpp();
    Path folder = GgufExportTest.write(dir, exported.model, tokenizer, false, 256, 512, 2);
    GgufExport export = GgufExport.read(folder);
    List<Path> files = new ArrayList<>();
    for (GgufFileType type : GgufFileType.values()) {
      Path file = dir.resolve("model-" + type.suffix() + ".gguf");
      export.write(file, type, "tuned");
      files.add(file);
    }

    List<JsonNode> runs = runLlamaCpp(files);
    long[] ours;
    try (HuggingFaceTokenizer tokens = ChatEncoder.loadTokenizer(folder)) {
      ours = new ChatEncoder(tokens, 4096).ids(SAMPLE);
    }
    double[] f16 = JSON.convertValue(runs.getFirst().path("logits"), double[].class);
    double[] reference = referenceLogits(folder, ours);
    if (reference != null) {
      double error = relativeError(f16, reference);
      System.out.printf(
          "llama.cpp, %s model-f16.gguf: logits off PyTorch's by %.4f of their spread; its next"
              + " token ranks %d there%n",
          exported, error, rank(f16, argmax(reference)));
      assertThat(error)
          .as("the F16 file's logits in llama.cpp against PyTorch's of the Hugging Face folder")
          .isLessThan(0.02);
    }
    for (int i = 0; i < files.size(); i++) {
      JsonNode run = runs.get(i);
      String file = files.get(i).getFileName().toString();
      assertThat(JSON.convertValue(run.path("tokens"), long[].class))
          .as("llama.cpp's tokens of the sample from %s", file)
          .containsExactly(ours);
      assertThat(run.path("generated").size()).as(file).isEqualTo(GENERATED);
      double[] logits = JSON.convertValue(run.path("logits"), double[].class);
      assertThat(logits).as(file).hasSameSizeAs(f16);
      int rank = rank(logits, argmax(f16));
      assertThat(rank)
          .as("%s: where the F16 file's next token ranks in its logits", file)
          .isLessThan(10);
      double error = relativeError(logits, f16);
      System.out.printf(
          "llama.cpp, %s %s: logits off F16's by %.4f of their spread; F16's next token ranks %d%n",
          exported, file, error, rank);
      assertThat(error)
          .as("%s: its logits' distance from the F16 file's, relative to their spread", file)
          .isLessThan(i == 1 ? 0.1 : 0.5);
    }
  }

  private static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      best = values[i] > values[best] ? i : best;
    }
    return best;
  }

  /**
   * The training node's PyTorch reference of the folder's next-token logits after {@code ids}; null
   * without torch unless the reference is required.
   */
  private static double @Nullable [] referenceLogits(Path folder, long[] ids) throws Exception {
    String python = System.getProperty("tuneforge.reference.python", "/usr/bin/python3");
    Process probe = new ProcessBuilder(python, "-c", "import torch").start();
    boolean torch = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    if (!torch && Boolean.getBoolean("tuneforge.reference.required")) {
      throw new IllegalStateException(python + " has no torch; install Debian's python3-torch");
    }
    if (!torch) {
      return null;
    }
    List<String> command = new ArrayList<>();
    command.add(python);
    command.add(
        GgufExportTest.inRepository("model-format/src/test/python/reference_logits.py").toString());
    command.add(GgufExportTest.inRepository("training-node/src/test/python").toString());
    command.add(folder.toString());
    for (long id : ids) {
      command.add(String.valueOf(id));
    }
    Process reference =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] output = reference.getInputStream().readAllBytes();
    assertThat(reference.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(reference.exitValue()).as("the PyTorch reference's exit status").isZero();
    return JSON.readValue(output, double[].class);
  }

  /** How many logits are above the one of {@code token}. */
  private static int rank(double[] logits, int token) {
    int above = 0;
    for (double logit : logits) {
      above += logit > logits[token] ? 1 : 0;
    }
    return above;
  }

  /** Root-mean-square difference over the F16 logits' standard deviation. */
  private static double relativeError(double[] logits, double[] f16) {
    double mean = 0;
    for (double value : f16) {
      mean += value / f16.length;
    }
    double spread = 0;
    double difference = 0;
    for (int i = 0; i < f16.length; i++) {
      spread += (f16[i] - mean) * (f16[i] - mean);
      difference += (logits[i] - f16[i]) * (logits[i] - f16[i]);
    }
    return Math.sqrt(difference / spread);
  }

  private static void requireLlamaCpp() {
    boolean ready =
        Files.isRegularFile(
            LLAMA_CPP.resolve(
                "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node"));
    if (!ready && RealTokenizers.required()) {
      throw new IllegalStateException(
          "llama.cpp (npm's node-llama-cpp) in "
              + LLAMA_CPP
              + " is needed; run bin/fetch-llama-cpp (./test.sh does)");
    }
    assumeTrue(ready, "needs bin/fetch-llama-cpp");
  }

  private static List<JsonNode> runLlamaCpp(List<Path> files) throws Exception {
    List<String> arguments = new ArrayList<>(List.of(LLAMA_CPP.toString(), SAMPLE, "" + GENERATED));
    files.forEach(file -> arguments.add(file.toString()));
    return GgufExportTest.runNode("llama-cpp.mjs", arguments);
  }
}
