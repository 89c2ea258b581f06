package dev.tuneforge.modelformat.folder;

import dev.tuneforge.modelformat.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Holds a checkpoint against the tensors its {@code config.json} implies ({@link
 * ModelConfig#tensorShapes()}): none missing, none unexpected, every shape as the config says. A
 * tied lm_head may be stored (Hugging Face ignores it) and is then counted once, with the
 * embedding; rotary inverse frequencies that older checkpoints store are buffers, not weights.
 */
final class TensorLayout {

  private static final String LM_HEAD = "lm_head.weight";
  private static final int NAMES_SHOWN = 3;

  private TensorLayout() {}

  /** The number of parameters, once the checkpoint matches the config. */
  static long check(ModelConfig config, Checkpoint checkpoint) {
    SortedMap<String, long[]> expected = config.tensorShapes();
    long parameters = 0;
    for (StoredTensor tensor : checkpoint.tensors().values()) {
      long[] shape = expected.get(tensor.name());
      boolean tiedHead = config.tieWordEmbeddings() && tensor.name().equals(LM_HEAD);
      if (tiedHead) {
        shape = new long[] {config.vocabSize(), config.hiddenSize()};
      } else if (shape == null && tensor.name().endsWith(".rotary_emb.inv_freq")) {
        continue;
      }
      if (shape == null) {
        throw new ModelRejectedException(
            tensor.file(),
            "holds "
                + tensor.name()
                + ", which a "
                + config.architectures().getFirst()
                + " with this config.json does not have");
      }
      if (!Arrays.equals(shape, tensor.shape())) {
        throw new ModelRejectedException(
            tensor.file(),
            tensor.name()
                + " has shape "
                + tensor.shapeText()
                + ", config.json implies "
                + Arrays.toString(shape));
      }
      if (!tiedHead) {
        parameters += tensor.count();
      }
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : expected.entrySet()) {
      if (!checkpoint.tensors().containsKey(entry.getKey())) {
        missing.add(entry.getKey() + " " + Arrays.toString(entry.getValue()));
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelRejectedException(checkpoint.source(), missingReason(config, missing));
    }
    return parameters;
  }

  private static String missingReason(ModelConfig config, List<String> missing) {
    if (missing.size() == 1 && missing.getFirst().startsWith(LM_HEAD)) {
      return "lacks "
          + missing.getFirst()
          + ": config.json has tie_word_embeddings false, so the output projection must be"
          + " stored";
    }
    String shown = String.join(", ", missing.subList(0, Math.min(NAMES_SHOWN, missing.size())));
    String more =
        missing.size() > NAMES_SHOWN ? " and " + (missing.size() - NAMES_SHOWN) + " more" : "";
    return "lacks "
        + missing.size()
        + " tensor"
        + (missing.size() == 1 ? "" : "s")
        + " that config.json implies for "
        + config.architectures().getFirst()
        + " with "
        + config.numHiddenLayers()
        + " layers: "
        + shown
        + more;
  }
}
