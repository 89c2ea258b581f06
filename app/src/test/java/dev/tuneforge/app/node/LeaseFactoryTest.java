package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which of a base model's files a lease sends the node, and what a full fine-tune's lease asks it
 * to upload: one weights file and the base's other files.
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

  /** A repository mirrored whole from the hub, as `mc mirror` leaves it in the bucket. */
  @Test
  void theNodeIsLeasedWhatTheTrainerReadsAndNoneOfAMirroredRepositorysExtras() {
    List<String> read =
        List.of(
            "chat_template.jinja",
            "config.json",
            "generation_config.json",
            "merges.txt",
            "model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors",
            "model.safetensors.index.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "vocab.json");
    List<String> extras =
        List.of(
            ".gitattributes",
            "LICENSE",
            "README.md",
            "onnx/model.onnx",
            "original/consolidated.00.pth",
            "original/params.json",
            "original/tokenizer.model",
            "pytorch_model.bin",
            "gguf/model.safetensors",
            "model-q4_k_m.gguf");
    List<String> mirrored = Stream.concat(read.stream(), extras.stream()).sorted().toList();

    assertThat(LeaseFactory.trainerFiles(mirrored)).containsExactlyElementsOf(read);
    assertThat(LeaseFactory.tunedModelFiles(LeaseFactory.trainerFiles(mirrored)))
        .as("a full fine-tune delivers only files its node received, and one weights file")
        .containsExactly(
            "model.safetensors",
            "chat_template.jinja",
            "config.json",
            "generation_config.json",
            "merges.txt",
            "tokenizer.json",
            "tokenizer_config.json",
            "vocab.json");
  }
}
