package dev.tuneforge.modelformat.folder;

import dev.tuneforge.modelformat.ModelConfig;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What inspection learnt of a valid model folder, all read from its files, never typed in.
 *
 * @param architecture the first entry of {@code config.json}'s architectures
 * @param parameters the number of weights, counted from the safetensors headers (a tied lm_head
 *     once)
 * @param dtypes the dtypes the weights are stored in, such as {@code [BF16]}
 * @param weightBytes the size of all safetensors files together
 * @param contextLength {@code max_position_embeddings}
 * @param licence the licence of the model card's front matter, or null when there is none
 * @param chatTemplate the Jinja chat template: {@code chat_template.jinja}'s, else {@code
 *     tokenizer_config.json}'s, else the family chosen at import; an inspected folder always has
 *     one
 * @param eosTokenIds the end-of-sequence ids of {@code generation_config.json}, else config.json,
 *     else tokenizer_config.json's eos_token; never empty for an inspected folder
 * @param padTokenId the padding id, or null when none is given
 * @param files every file of the folder with its size
 */
public record ModelDescription(
    String architecture,
    ModelConfig config,
    long parameters,
    List<String> dtypes,
    long weightBytes,
    int contextLength,
    @Nullable String licence,
    @Nullable String chatTemplate,
    List<Integer> eosTokenIds,
    @Nullable Integer padTokenId,
    Map<String, Long> files) {

  public ModelDescription {
    dtypes = List.copyOf(dtypes);
    eosTokenIds = List.copyOf(eosTokenIds);
    files = Map.copyOf(files);
  }
}
