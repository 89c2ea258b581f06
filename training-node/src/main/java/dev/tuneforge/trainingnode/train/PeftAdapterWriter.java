package dev.tuneforge.trainingnode.train;

import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.LoraSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a LoRA adapter in PEFT's layout ({@code adapter_config.json} and {@code
 * adapter_model.safetensors}) so that PEFT, vLLM and llama.cpp's converter load it as is.
 */
public final class PeftAdapterWriter {

  static final String KEY_PREFIX = "base_model.model.";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PeftAdapterWriter() {}

  /** An adapter of a base model without a revision. */
  public static void write(
      Path directory, LoraSettings lora, String baseModel, Map<String, Tensor> weights)
      throws IOException {
    write(directory, lora, baseModel, null, weights);
  }

  /**
   * @param lora the settings the adapter was trained with
   * @param baseModel the base model's Hugging Face id, as {@code base_model_name_or_path}
   * @param revision the base model's Hugging Face revision, as PEFT's {@code revision}, or null
   * @param weights LoRA matrices named like {@code model.layers.0.self_attn.q_proj.lora_A.weight}
   */
  public static void write(
      Path directory,
      LoraSettings lora,
      String baseModel,
      @Nullable String revision,
      Map<String, Tensor> weights)
      throws IOException {
    Files.createDirectories(directory);
    Map<String, Tensor> keyed = new TreeMap<>();
    weights.forEach((name, tensor) -> keyed.put(KEY_PREFIX + name, tensor));
    SafeTensors.write(directory.resolve(JobFolder.ADAPTER_WEIGHTS), keyed, Map.of("format", "pt"));
    Files.writeString(
        directory.resolve(JobFolder.ADAPTER_CONFIG), config(lora, baseModel, revision));
  }

  static String config(LoraSettings lora, String baseModel, @Nullable String revision) {
    ObjectNode root = JSON.createObjectNode();
    root.put("base_model_name_or_path", baseModel);
    root.put("bias", "none");
    root.put("fan_in_fan_out", false);
    root.put("inference_mode", true);
    root.put("init_lora_weights", true);
    if (lora.alpha() == Math.rint(lora.alpha())) {
      root.put("lora_alpha", (long) lora.alpha());
    } else {
      root.put("lora_alpha", lora.alpha());
    }
    root.put("lora_dropout", lora.dropout());
    root.putNull("modules_to_save");
    root.put("peft_type", "LORA");
    root.put("r", lora.r());
    if (revision == null || revision.isBlank()) {
      root.putNull("revision");
    } else {
      root.put("revision", revision);
    }
    new TreeSet<>(lora.targetModules()).forEach(root.putArray("target_modules")::add);
    root.put("task_type", "CAUSAL_LM");
    root.put("use_rslora", lora.rslora());
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
