package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a full fine-tune's lease asks the node to upload: one weights file and the base's other
 * files.
 */
class LeaseFactoryTest {

  @Test
  void aFullFineTuneDeliversOneWeightsFileAndTheBasesOtherFiles() {
    List<String> base =
        List.of(
            "config.json",
            "generation_config.json",
            "model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors",
            "model.safetensors.index.json",
            "special_tokens_map.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "pytorch_model.bin",
            "original/params.json");
    assertThat(LeaseFactory.tunedModelFiles(base))
        .containsExactly(
            "model.safetensors",
            "config.json",
            "generation_config.json",
            "special_tokens_map.json",
            "tokenizer.json",
            "tokenizer_config.json");
  }
}
