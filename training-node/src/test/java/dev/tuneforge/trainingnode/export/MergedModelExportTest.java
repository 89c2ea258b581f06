package dev.tuneforge.trainingnode.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.generate.LoraFixtures;
import dev.tuneforge.trainingnode.generate.PeftAdapter;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MergedModelExportTest {

  static {
    TestEngine.useOneThread();
  }

  static final double LOGITS_TOLERANCE = 1e-4;
  static final long[] IDS = {5, 17, 99, 3, 250, 42, 7, 120, 8, 9};
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  /** Writes the base model and an adapter with non-zero B; returns the base + adapter logits. */
  private float[][] baseAndAdapter(DemoModelWriter.Builder base, LoraSettings lora)
      throws IOException {
    base.build().writeTo(dir.resolve("base"));
    try (LlamaModel trained = LlamaModel.load(dir.resolve("base"), lora, 3)) {
      LoraFixtures.randomizeLoraB(trained, 8);
      PeftAdapterWriter.write(dir.resolve("adapter"), lora, "demo", trained.exportLora());
    }
    try (LlamaModel adapted = PeftAdapter.load(dir.resolve("base"), dir.resolve("adapter"))) {
      return LoraFixtures.fullLogits(adapted, IDS);
    }
  }

  private float[][] mergedLogits(Path merged) throws IOException {
    try (LlamaModel model = PeftAdapter.loadBase(merged)) {
      return LoraFixtures.fullLogits(model, IDS);
    }
  }

  @Test
  void theMergedModelComputesWhatTheBaseWithItsAdapterComputes() throws IOException {
    float[][] expected =
        baseAndAdapter(DemoModelWriter.builder().optSeed(2), LoraFixtures.ALL_PROJECTIONS);
    Path merged = dir.resolve("merged");

    List<String> files =
        MergedModelExport.builder()
            .setModel(dir.resolve("base"))
            .setAdapter(dir.resolve("adapter"))
            .setOutput(merged)
            .build()
            .write();

    assertThat(files).containsExactly("model.safetensors");
    assertThat(maxAbsDiff(mergedLogits(merged), expected)).isLessThan(LOGITS_TOLERANCE);
    assertThat(maxAbsDiff(mergedLogits(dir.resolve("base")), expected))
        .as("the adapter must matter")
        .isGreaterThan(0.01);
    assertThat(header(merged.resolve("model.safetensors")))
        .isEqualTo(header(dir.resolve("base/model.safetensors")));
    assertThat(metadata(merged.resolve("model.safetensors"))).isEqualTo(Map.of("format", "pt"));
    for (String file :
        List.of(
            "tokenizer.json", "tokenizer_config.json", "generation_config.json", "config.json")) {
      assertThat(merged.resolve(file))
          .as(file)
          .hasSameBinaryContentAs(dir.resolve("base").resolve(file));
    }
    try (Stream<Path> written = Files.list(merged)) {
      assertThat(written.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "model.safetensors",
              "config.json",
              "generation_config.json",
              "tokenizer.json",
              "tokenizer_config.json");
    }
  }

  @Test
  void anRsLoraAdapterMergesWithItsOwnScale() throws IOException {
    LoraSettings lora =
        new LoraSettings(4, 8, 0, List.of("q_proj", "v_proj", "up_proj", "down_proj"), true);
    float[][] expected = baseAndAdapter(DemoModelWriter.builder().optSeed(2), lora);
    Path merged = dir.resolve("merged");

    MergedModelExport.builder()
        .setModel(dir.resolve("base"))
        .setAdapter(dir.resolve("adapter"))
        .setOutput(merged)
        .build()
        .write();

    assertThat(maxAbsDiff(mergedLogits(merged), expected)).isLessThan(LOGITS_TOLERANCE);
  }

  @Test
  void aTiedBf16ModelStaysTiedAndBf16() throws IOException {
    LoraSettings lora = new LoraSettings(8, 16, 0, List.of("q_proj", "k_proj", "v_proj", "o_proj"));
    float[][] expected =
        baseAndAdapter(
            DemoModelWriter.builder()
                .optArchitecture("Qwen2ForCausalLM")
                .optDataType(DataType.BF16)
                .optSeed(5),
            lora);
    Path fp32 = dir.resolve("fp32");
    Path bf16 = dir.resolve("bf16");

    MergedModelExport.builder()
        .setModel(dir.resolve("base"))
        .setAdapter(dir.resolve("adapter"))
        .setOutput(fp32)
        .build()
        .write();
    MergedModelExport.builder()
        .setModel(dir.resolve("base"))
        .setAdapter(dir.resolve("adapter"))
        .setOutput(bf16)
        .optDataType(DataType.BF16)
        .build()
        .write();

    Map<String, String> baseHeader = header(dir.resolve("base/model.safetensors"));
    assertThat(baseHeader)
        .doesNotContainKey("lm_head.weight")
        .containsKey("model.layers.0.self_attn.q_proj.bias");
    assertThat(header(bf16.resolve("model.safetensors"))).isEqualTo(baseHeader);
    assertThat(maxAbsDiff(mergedLogits(fp32), expected)).isLessThan(LOGITS_TOLERANCE);
    Map<String, Tensor> exact = SafeTensors.read(fp32.resolve("model.safetensors")).tensors();
    Map<String, Tensor> rounded = SafeTensors.read(bf16.resolve("model.safetensors")).tensors();
    exact.forEach(
        (name, tensor) ->
            assertThat(rounded.get(name).values()).as(name).isEqualTo(bf16(tensor.values())));
    JsonNode config = JSON.readTree(Files.readString(bf16.resolve("config.json")));
    assertThat(config.path("torch_dtype").asString()).isEqualTo("bfloat16");
    assertThat(config.path("tie_word_embeddings").asBoolean()).isTrue();
    assertThat(
            JSON.readTree(Files.readString(fp32.resolve("config.json")))
                .path("torch_dtype")
                .asString())
        .isEqualTo("float32");
  }

  @Test
  void aLargeModelIsShardedWithAnIndexThatReadsBack() throws IOException {
    float[][] expected =
        baseAndAdapter(
            DemoModelWriter.builder().optArchitecture("MistralForCausalLM").optShards(2).optSeed(6),
            LoraFixtures.ALL_PROJECTIONS);
    Path merged = dir.resolve("merged");

    List<String> files =
        MergedModelExport.builder()
            .setModel(dir.resolve("base"))
            .setAdapter(dir.resolve("adapter"))
            .setOutput(merged)
            .optMaxShardBytes(200_000)
            .build()
            .write();

    assertThat(files).hasSizeGreaterThan(2);
    for (int i = 0; i < files.size(); i++) {
      assertThat(files.get(i))
          .isEqualTo(String.format("model-%05d-of-%05d.safetensors", i + 1, files.size()));
    }
    JsonNode index =
        JSON.readTree(Files.readString(merged.resolve("model.safetensors.index.json")));
    Map<String, String> headers = new TreeMap<>();
    long bytes = 0;
    for (String file : files) {
      Map<String, String> header = header(merged.resolve(file));
      headers.putAll(header);
      header
          .keySet()
          .forEach(
              name -> assertThat(index.path("weight_map").path(name).asString()).isEqualTo(file));
      bytes += Files.size(merged.resolve(file));
      assertThat(Files.size(merged.resolve(file))).isLessThan(200_000 + 4_096);
    }
    Map<String, String> baseHeaders =
        new TreeMap<>(header(dir.resolve("base/model-00001-of-00002.safetensors")));
    baseHeaders.putAll(header(dir.resolve("base/model-00002-of-00002.safetensors")));
    assertThat(headers).isEqualTo(baseHeaders);
    assertThat(index.path("weight_map").size()).isEqualTo(baseHeaders.size());
    assertThat(index.path("metadata").path("total_size").asLong()).isPositive().isLessThan(bytes);
    assertThat(maxAbsDiff(mergedLogits(merged), expected)).isLessThan(LOGITS_TOLERANCE);
    assertThat(merged.resolve("model.safetensors")).doesNotExist();
  }

  @Test
  void theCommandLineMergesAndExplainsItsArguments() throws IOException {
    baseAndAdapter(
        DemoModelWriter.builder().optSeed(3), new LoraSettings(2, 4, 0, List.of("v_proj")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {
      "merge",
      "--model",
      dir.resolve("base").toString(),
      "--adapter",
      dir.resolve("adapter").toString(),
      "--out",
      dir.resolve("merged").toString(),
      "--dtype",
      "bf16"
    };

    int status =
        MergeMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int again =
        MergeMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    int wrong =
        MergeMain.run(
            new String[] {"merge", "--model", "x"},
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(header(dir.resolve("merged/model.safetensors")).values())
        .allMatch(h -> h.startsWith("BF16 "));
    assertThat(again).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("is not empty", "usage: merge --model DIR");
    assertThat(wrong).isEqualTo(2);
    assertThat(MergeMain.bytes("5GB")).isEqualTo(5_000_000_000L);
    assertThat(MergeMain.bytes("500MB")).isEqualTo(500_000_000L);
  }

  /** Tensor name to "DTYPE [shape]", read from the raw header. */
  static Map<String, String> header(Path file) throws IOException {
    JsonNode root = rawHeader(file);
    Map<String, String> header = new HashMap<>();
    root.properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("__metadata__")) {
                header.put(
                    e.getKey(),
                    e.getValue().path("dtype").asString() + " " + e.getValue().path("shape"));
              }
            });
    return header;
  }

  static Map<String, String> metadata(Path file) throws IOException {
    return SafeTensors.read(file).metadata();
  }

  private static JsonNode rawHeader(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return JSON.readTree(new String(bytes, 8, (int) length, StandardCharsets.UTF_8));
  }

  private static float[] bf16(float[] values) {
    float[] rounded = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      int bits = Float.floatToRawIntBits(values[i]);
      rounded[i] = Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
    }
    return rounded;
  }

  private static double maxAbsDiff(float[][] actual, float[][] expected) {
    double max = 0;
    for (int t = 0; t < expected.length; t++) {
      for (int v = 0; v < expected[t].length; v++) {
        max = Math.max(max, Math.abs((double) actual[t][v] - expected[t][v]));
      }
    }
    return max;
  }
}
