package dev.tuneforge.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training node's independent PyTorch reference ({@code
 * training-node/src/test/python/reference_generate.py}: float64, no cache, PEFT's LoRA formula) for
 * launcher tests: greedy steps of a Hugging Face folder, alone or with a PEFT adapter applied
 * beside its weights, and every step's logits. Needs {@code /usr/bin/python3} with torch (Debian's
 * {@code python3-torch}); without it the comparison is left out, or fails when {@code
 * -Dtuneforge.reference.required=true}.
 */
final class PyTorchReference {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PEFT_PREFIX = "base_model.model.";

  private final String python;
  private final Path script;

  private PyTorchReference(String python, Path script) {
    this.python = python;
    this.script = script;
  }

  /** What the reference computed: the greedy tokens, their top-2 margins and each step's logits. */
  record Steps(long[] tokens, float[] margins, float[][] logits) {}

  /**
   * The reference; null (and said why) without torch, unless it is required: then the calling test
   * fails.
   */
  static @Nullable PyTorchReference find() {
    String python = System.getProperty("tuneforge.reference.python", "/usr/bin/python3");
    String problem = torchProblem(python);
    if (problem == null) {
      return new PyTorchReference(python, script());
    }
    if (Boolean.getBoolean("tuneforge.reference.required")) {
      fail("the PyTorch reference is required but " + problem);
    }
    System.out.println(
        "Skipped the comparison with PyTorch: "
            + problem
            + "; install Debian's python3-torch (or point -Dtuneforge.reference.python at a python"
            + " with torch)");
    return null;
  }

  /**
   * Runs {@code newTokens} greedy steps after {@code prompt} on the model in {@code caseDir/model},
   * with the PEFT adapter in {@code adapter} (its {@code adapter_config.json} and {@code
   * adapter_model.safetensors}) when there is one.
   */
  Steps greedy(Path caseDir, @Nullable Path adapter, long[] prompt, int newTokens)
      throws IOException, InterruptedException {
    Map<String, Tensor> inputs = new TreeMap<>();
    float[] ids = new float[prompt.length];
    for (int i = 0; i < prompt.length; i++) {
      ids[i] = prompt[i];
    }
    inputs.put("prompt", new Tensor(new long[] {1, prompt.length}, ids));
    double r = 1;
    double alpha = 1;
    if (adapter != null) {
      JsonNode config = JSON.readTree(Files.readString(adapter.resolve("adapter_config.json")));
      r = config.path("r").asDouble();
      // the script scales by alpha / r; rsLoRA's alpha / sqrt(r) is that with alpha * sqrt(r)
      alpha =
          config.path("lora_alpha").asDouble()
              * (config.path("use_rslora").asBoolean(false) ? Math.sqrt(r) : 1);
      SafeTensors.read(adapter.resolve("adapter_model.safetensors"))
          .tensors()
          .forEach(
              (name, tensor) ->
                  inputs.put(
                      name.startsWith(PEFT_PREFIX) ? name.substring(PEFT_PREFIX.length()) : name,
                      tensor));
    }
    SafeTensors.write(caseDir.resolve("inputs.safetensors"), inputs, Map.of());
    Files.writeString(
        caseDir.resolve("generate.json"),
        String.format(
            Locale.ROOT,
            "{\"r\": %s, \"alpha\": %s, \"max_new_tokens\": %d}",
            r,
            alpha,
            newTokens));
    Process process =
        new ProcessBuilder(python, script.toString(), caseDir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail("the PyTorch reference failed on " + caseDir + ":\n" + output);
    }
    Map<String, Tensor> reference =
        SafeTensors.read(caseDir.resolve("reference.safetensors")).tensors();
    Tensor logits = reference.get("logits");
    int vocab = (int) logits.shape()[1];
    float[][] steps = new float[newTokens][];
    for (int step = 0; step < newTokens; step++) {
      steps[step] = Arrays.copyOfRange(logits.values(), step * vocab, (step + 1) * vocab);
    }
    float[] tokens = reference.get("tokens").values();
    long[] tokenIds = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      tokenIds[i] = (long) tokens[i];
    }
    return new Steps(tokenIds, reference.get("margins").values(), steps);
  }

  /** {@code training-node/src/test/python/reference_generate.py} in the nearest folder above. */
  private static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("training-node/src/test/python/reference_generate.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return fail("No training-node/src/test/python/reference_generate.py above " + Path.of(""));
  }

  private static @Nullable String torchProblem(String python) {
    if (!Files.isExecutable(Path.of(python))) {
      return python + " does not exist";
    }
    try {
      Process check =
          new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean imported = check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
      return imported ? null : python + " cannot import torch: " + said.strip();
    } catch (IOException | InterruptedException e) {
      return python + " could not be run: " + e.getMessage();
    }
  }
}
