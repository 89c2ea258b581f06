package dev.tuneforge.trainingnode.generate;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A PEFT LoRA adapter directory ({@code adapter_config.json} and {@code adapter_model.safetensors})
 * as far as plain LoRA on a Llama-shaped model's linear projections goes, with or without rsLoRA
 * ({@code use_rslora}); variants that change the arithmetic otherwise (DoRA, per-layer ranks,
 * trained biases, fan-in-fan-out storage) are refused rather than loaded wrongly. Pure Java: no
 * DJL.
 */
public record AdapterConfig(LoraSettings lora, String baseModel) {

  static final String KEY_PREFIX = "base_model.model.";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The multiplier of {@code B A}: {@code lora_alpha / r}, or {@code lora_alpha / sqrt(r)} with
   * rsLoRA.
   */
  public double scale() {
    return lora.scale();
  }

  public static AdapterConfig read(Path adapterDirectory) throws IOException {
    Path file = adapterDirectory.resolve(JobFolder.ADAPTER_CONFIG);
    if (!Files.isRegularFile(file)) {
      throw new UnsupportedAdapterException(
          adapterDirectory + " has no " + JobFolder.ADAPTER_CONFIG);
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new UnsupportedAdapterException(
          JobFolder.ADAPTER_CONFIG + " is not valid JSON: " + e.getOriginalMessage());
    }
    require(root.path("peft_type").asString("").equals("LORA"), "peft_type must be LORA");
    require(root.path("r").asInt(0) > 0, "r must be a positive integer");
    require(root.path("lora_alpha").isNumber(), "lora_alpha must be a number");
    require(root.path("bias").asString("none").equals("none"), "only bias: none is supported");
    require(
        root.path("use_rslora").isMissingNode()
            || root.path("use_rslora").isNull()
            || root.path("use_rslora").isBoolean(),
        "use_rslora must be true or false");
    require(!root.path("use_dora").asBoolean(false), "use_dora is not supported");
    require(!root.path("fan_in_fan_out").asBoolean(false), "fan_in_fan_out is not supported");
    for (String field :
        List.of("rank_pattern", "alpha_pattern", "modules_to_save", "layers_to_transform")) {
      JsonNode node = root.path(field);
      require(node.isMissingNode() || node.isNull() || node.isEmpty(), field + " is not supported");
    }
    LoraSettings lora =
        new LoraSettings(
            root.path("r").asInt(),
            root.path("lora_alpha").asDouble(),
            root.path("lora_dropout").asDouble(0),
            targetModules(root.path("target_modules")),
            root.path("use_rslora").asBoolean(false));
    return new AdapterConfig(lora, root.path("base_model_name_or_path").asString(""));
  }

  /**
   * The LoRA matrices by the names {@link LlamaModel#loraParameters()} uses (PEFT's names less
   * {@code base_model.model.}), checked to be exactly the ones this config implies for a model of
   * {@code layers} layers.
   */
  public Map<String, Tensor> readWeights(Path adapterDirectory, int layers) throws IOException {
    Path file = adapterDirectory.resolve(JobFolder.ADAPTER_WEIGHTS);
    if (!Files.isRegularFile(file)) {
      throw new UnsupportedAdapterException(
          adapterDirectory + " has no " + JobFolder.ADAPTER_WEIGHTS);
    }
    Map<String, Tensor> weights = new TreeMap<>();
    SafeTensors.read(file)
        .tensors()
        .forEach(
            (name, tensor) -> {
              if (!name.startsWith(KEY_PREFIX)) {
                throw new UnsupportedAdapterException(
                    "adapter tensor " + name + " does not start with " + KEY_PREFIX);
              }
              weights.put(name.substring(KEY_PREFIX.length()), tensor);
            });
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      for (String target : lora.targetModules()) {
        String module =
            "model.layers." + i + "." + (isMlp(target) ? "mlp." : "self_attn.") + target;
        expected.add(module + ".lora_A.weight");
        expected.add(module + ".lora_B.weight");
      }
    }
    if (!weights.keySet().equals(new TreeSet<>(expected))) {
      List<String> missing =
          expected.stream().filter(n -> !weights.containsKey(n)).sorted().toList();
      List<String> extra = weights.keySet().stream().filter(n -> !expected.contains(n)).toList();
      throw new UnsupportedAdapterException(
          "the adapter's tensors do not match its config for a "
              + layers
              + "-layer model; missing "
              + abbreviate(missing)
              + ", unexpected "
              + abbreviate(extra));
    }
    for (Map.Entry<String, Tensor> entry : weights.entrySet()) {
      long[] shape = entry.getValue().shape();
      boolean isA = entry.getKey().endsWith("lora_A.weight");
      if (shape.length != 2 || shape[isA ? 0 : 1] != lora.r()) {
        throw new UnsupportedAdapterException(
            entry.getKey() + " has shape " + Arrays.toString(shape) + ", not rank " + lora.r());
      }
    }
    return weights;
  }

  private static boolean isMlp(String target) {
    return target.equals("gate_proj") || target.equals("up_proj") || target.equals("down_proj");
  }

  /**
   * A list of projection names, or PEFT's {@code all-linear}; full module paths count by their last
   * name.
   */
  private static List<String> targetModules(JsonNode node) {
    if (node.isString() && node.asString().equals("all-linear")) {
      return LlamaModel.PROJECTIONS;
    }
    require(
        node.isArray() && !node.isEmpty(),
        "target_modules must be a non-empty list or \"all-linear\"");
    List<String> targets = new ArrayList<>();
    for (JsonNode entry : node) {
      String name = entry.asString("");
      String last = name.substring(name.lastIndexOf('.') + 1);
      require(
          LlamaModel.PROJECTIONS.contains(last),
          "target module " + name + " is not one of " + LlamaModel.PROJECTIONS);
      if (!targets.contains(last)) {
        targets.add(last);
      }
    }
    // The model's own order, so that equal adapters give equal settings.
    return LlamaModel.PROJECTIONS.stream().filter(targets::contains).toList();
  }

  private static String abbreviate(List<String> names) {
    return names.isEmpty()
        ? "none"
        : names.size() <= 3
            ? names.toString()
            : names.subList(0, 3) + " and " + (names.size() - 3) + " more";
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new UnsupportedAdapterException(JobFolder.ADAPTER_CONFIG + ": " + problem);
    }
  }
}
