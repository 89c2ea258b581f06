package dev.tuneforge.trainingnode.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftAdapterTest {

  static {
    TestEngine.useOneThread();
  }

  static final long[] IDS = {5, 17, 99, 3, 250, 42, 7, 120};

  @TempDir Path dir;

  @Test
  void aWrittenAdapterLoadsBackIntoTheSameModel() throws IOException {
    Path modelDir = dir.resolve("model");
    DemoModelWriter.builder()
        .optArchitecture("Qwen2ForCausalLM")
        .optSeed(4)
        .build()
        .writeTo(modelDir);
    LoraSettings lora = new LoraSettings(4, 16, 0.05, List.of("q_proj", "v_proj", "down_proj"));
    float[][] expected;
    try (LlamaModel trained = LlamaModel.load(modelDir, lora, 9)) {
      LoraFixtures.randomizeLoraB(trained, 2);
      expected = LoraFixtures.fullLogits(trained, IDS);
      PeftAdapterWriter.write(dir.resolve("adapter"), lora, "demo", trained.exportLora());
    }

    try (LlamaModel loaded = PeftAdapter.load(modelDir, dir.resolve("adapter"));
        LlamaModel base = PeftAdapter.loadBase(modelDir)) {
      assertThat(LoraFixtures.fullLogits(loaded, IDS)).isDeepEqualTo(expected);
      assertThat(LoraFixtures.fullLogits(base, IDS)[7]).isNotEqualTo(expected[7]);
      assertThat(AdapterConfig.read(dir.resolve("adapter")).lora())
          .isEqualTo(new LoraSettings(4, 16, 0.05, lora.targetModules(), false));
    }
  }

  @Test
  void anAdapterForAnotherModelIsRefusedByName() throws IOException {
    Path modelDir = dir.resolve("model");
    DemoModelWriter.write(modelDir, 1);
    LoraSettings lora = new LoraSettings(2, 4, 0, List.of("q_proj"));
    try (LlamaModel trained = LlamaModel.load(modelDir, lora, 9)) {
      PeftAdapterWriter.write(dir.resolve("adapter"), lora, "demo", trained.exportLora());
    }
    Path deeper = dir.resolve("deeper");
    DemoModelWriter.builder().optLayers(3).build().writeTo(deeper);

    assertThatThrownBy(() -> PeftAdapter.load(deeper, dir.resolve("adapter")))
        .isInstanceOf(UnsupportedAdapterException.class)
        .hasMessageContaining("missing [model.layers.2.self_attn.q_proj.lora_A.weight");
  }

  @Test
  void anRsLoraAdapterRoundTripsWithItsScale() throws IOException {
    Path modelDir = dir.resolve("model");
    DemoModelWriter.builder().optSeed(4).build().writeTo(modelDir);
    LoraSettings lora = new LoraSettings(4, 8, 0, List.of("q_proj", "v_proj"), true);
    float[][] expected;
    try (LlamaModel trained = LlamaModel.load(modelDir, lora, 9)) {
      LoraFixtures.randomizeLoraB(trained, 2);
      expected = LoraFixtures.fullLogits(trained, IDS);
      PeftAdapterWriter.write(dir.resolve("adapter"), lora, "demo", trained.exportLora());
    }

    assertThat(Files.readString(dir.resolve("adapter").resolve(JobFolder.ADAPTER_CONFIG)))
        .contains("\"use_rslora\" : true");
    AdapterConfig config = AdapterConfig.read(dir.resolve("adapter"));
    assertThat(config.lora().rslora()).isTrue();
    assertThat(config.scale()).isEqualTo(8 / Math.sqrt(4));
    try (LlamaModel loaded = PeftAdapter.load(modelDir, dir.resolve("adapter"))) {
      assertThat(LoraFixtures.fullLogits(loaded, IDS)).isDeepEqualTo(expected);
    }
  }

  @Test
  void aPlainAdapterSaysSoAndAMalformedRsLoraFlagIsRefused() throws IOException {
    Path adapter = Files.createDirectories(dir.resolve("adapter"));
    Files.writeString(
        adapter.resolve(JobFolder.ADAPTER_CONFIG),
        "{\"peft_type\":\"LORA\",\"r\":8,\"lora_alpha\":16,\"target_modules\":[\"q_proj\"],\"use_rslora\":false}");
    assertThat(AdapterConfig.read(adapter).scale()).isEqualTo(2.0);

    Files.writeString(
        adapter.resolve(JobFolder.ADAPTER_CONFIG),
        "{\"peft_type\":\"LORA\",\"r\":8,\"lora_alpha\":16,\"target_modules\":[\"q_proj\"],\"use_rslora\":\"yes\"}");
    assertThatThrownBy(() -> AdapterConfig.read(adapter))
        .hasMessageContaining("use_rslora must be true or false");
  }
}
