package dev.tuneforge.trainingnode.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.generate.AdapterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * adapter_config.json names the base by its Hugging Face id and revision, as PEFT's {@code
 * from_pretrained} looks the base up; a spec from before revisions still writes a loadable config.
 */
class PeftAdapterWriterTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final LoraSettings LORA = new LoraSettings(8, 16, 0.05, List.of("q_proj"));

  @TempDir Path dir;

  @Test
  void theConfigNamesTheHuggingFaceIdAndRevision() throws Exception {
    PeftAdapterWriter.write(dir, LORA, "Qwen/Qwen3-0.6B", "c1899de", Map.of());
    JsonNode config = JSON.readTree(Files.readString(dir.resolve("adapter_config.json")));
    assertThat(config.path("base_model_name_or_path").asString()).isEqualTo("Qwen/Qwen3-0.6B");
    assertThat(config.path("revision").asString()).isEqualTo("c1899de");
    assertThat(AdapterConfig.read(dir).baseModel()).isEqualTo("Qwen/Qwen3-0.6B");
  }

  @Test
  void aSpecWithoutRevisionWritesNone() throws Exception {
    TrainingSpec old =
        JSON.readValue(
            "{\"jobId\":\"j\",\"baseModel\":\"HuggingFaceTB/SmolLM2-135M\",\"lora\":{\"r\":8,\"alpha\":16,"
                + "\"dropout\":0,\"targetModules\":[\"q_proj\"]},\"hyperparameters\":{\"epochs\":1,"
                + "\"learningRate\":2e-4,\"batchSize\":4,\"maxSequenceLength\":512,\"seed\":42,\"maxSteps\":0}}",
            TrainingSpec.class);
    assertThat(old.baseModelRevision()).isNull();
    PeftAdapterWriter.write(dir, old.lora(), old.baseModel(), old.baseModelRevision(), Map.of());
    JsonNode config = JSON.readTree(Files.readString(dir.resolve("adapter_config.json")));
    assertThat(config.path("base_model_name_or_path").asString())
        .isEqualTo("HuggingFaceTB/SmolLM2-135M");
    assertThat(config.path("revision").isNull()).isTrue();
  }
}
