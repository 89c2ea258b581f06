package dev.tuneforge.modelformat.folder;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.UnsupportedModelException;
import java.io.IOException;
import java.util.List;

/**
 * Checks a model folder before anything is registered and describes it. Every file name must stay
 * inside the folder; the architecture must be supported; the safetensors headers (one file, or the
 * shards {@code model.safetensors.index.json} lists) must hold exactly the tensors {@code
 * config.json} implies, in F32, BF16 or F16, with data that fits the files; {@code tokenizer.json}
 * must load; a chat template must render; eos (and pad) ids must lie in the vocabulary. Only small
 * JSON files and the safetensors headers are read, never the weights.
 */
public final class ModelInspector {

  private ModelInspector() {}

  /** As {@link #inspect(ModelFolder, InspectOptions)} with no choices made. */
  public static ModelDescription inspect(ModelFolder folder) throws IOException {
    return inspect(folder, InspectOptions.defaults());
  }

  /**
   * The folder's description.
   *
   * @throws ModelRejectedException naming the file and the reason when the folder cannot be
   *     imported
   */
  public static ModelDescription inspect(ModelFolder folder, InspectOptions options)
      throws IOException {
    FolderFiles files = FolderFiles.list(folder);
    ModelConfig config;
    try {
      config = ModelConfig.parse(files.text(TokenizerFiles.CONFIG));
    } catch (UnsupportedModelException e) {
      throw new ModelRejectedException(TokenizerFiles.CONFIG, e.getMessage());
    }
    Checkpoint checkpoint = Checkpoint.read(files);
    long parameters = TensorLayout.check(config, checkpoint);
    TokenizerFiles tokens = TokenizerFiles.read(files, config, options);
    return new ModelDescription(
        config.architectures().getFirst(),
        config,
        parameters,
        checkpoint.dtypes(),
        checkpoint.bytes(),
        config.maxPositionEmbeddings(),
        ModelCard.licence(files),
        tokens.chatTemplate(),
        tokens.eosTokenIds(),
        tokens.padTokenId(),
        files.sizes());
  }

  /**
   * The safetensors files that hold the folder's weights, found as inspection finds them: the
   * shards {@code model.safetensors.index.json} lists, else {@code model.safetensors}. Only the
   * index is read.
   *
   * @throws ModelRejectedException naming the file and the reason when they cannot be found
   */
  public static List<String> weightFiles(ModelFolder folder) throws IOException {
    return Checkpoint.weightFiles(FolderFiles.list(folder));
  }
}
