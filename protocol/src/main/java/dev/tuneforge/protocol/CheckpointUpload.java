package dev.tuneforge.protocol;

import java.util.List;

/**
 * A node asks for upload URLs for one checkpoint folder's files, named as in the folder (no
 * path). The app signs only the names in {@link #FILES} or {@link #FULL_FILES}.
 */
public record CheckpointUpload(List<String> files) {

  /** The files of a LoRA checkpoint folder {@code step-{n}/}; a resume needs all four. */
  public static final List<String> FILES =
      List.of("adapter_model.safetensors", "adapter_config.json", "optimizer.safetensors", "trainer_state.json");

  /** The files of a full fine-tuning checkpoint folder: all weights instead of an adapter; a resume needs all three. */
  public static final List<String> FULL_FILES =
      List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json");

  /** The files a checkpoint of a run of this kind holds, all of which a resume needs. */
  public static List<String> filesFor(TrainingSpec spec) {
    return spec.fullFineTuning() ? FULL_FILES : FILES;
  }

  /** Every name a checkpoint file can have. */
  public static boolean known(String file) {
    return FILES.contains(file) || FULL_FILES.contains(file);
  }
}
