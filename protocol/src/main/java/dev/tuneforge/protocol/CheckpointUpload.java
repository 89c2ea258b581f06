package dev.tuneforge.protocol;

import java.util.List;

/**
 * A node asks for upload URLs for one checkpoint folder's files, named as in the folder (no
 * path). The app signs only the names in {@link #FILES}.
 */
public record CheckpointUpload(List<String> files) {

  /** The files of a checkpoint folder {@code step-{n}/}; a resume needs all four. */
  public static final List<String> FILES =
      List.of("adapter_model.safetensors", "adapter_config.json", "optimizer.safetensors", "trainer_state.json");
}
