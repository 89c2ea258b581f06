package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A merge lease through the agent against the faked app: the node merges the adapter into a BF16
 * base in a child JVM, reports its progress, asks for upload URLs for exactly the files it wrote
 * (shards and index above the shard size, tokenizer files, config in the base's dtype) and uploads
 * weights equal to {@code W + alpha/r * B A}; a merge cancelled once merged uploads nothing.
 */
class MergeLeaseTest {
  private static final LoraSettings LORA = new LoraSettings(4, 8, 0, List.of("q_proj", "v_proj"));
  private static final long SHARD_BYTES = 40_000;

  @TempDir Path workDir;
  private FakeApp app;

  @BeforeEach
  void startApp() throws Exception {
    app = new FakeApp();
  }

  @AfterEach
  void stopApp() {
    app.close();
  }

  @Test
  void mergesTheAdapterIntoTheBaseInItsDtypeShardedAndUploadsIt() throws Exception {
    Path base = base();
    Map<String, Tensor> adapterWeights = randomAdapter(base, LORA, 2);
    UUID mergeId = UUID.randomUUID();
    LoraSettings lora = LORA;
    app.leases.add(lease(base, adapterWeights, mergeId));

    NodeAgent agent = new NodeAgent(options());
    agent.connect();
    assertThat(agent.pollOnce()).isTrue();

    JobResult result = app.results.poll(60, TimeUnit.SECONDS);
    assertThat(result).isNotNull();
    assertThat(result.status())
        .as(String.valueOf(result.reason()))
        .isEqualTo(JobResult.Status.SUCCEEDED);
    assertThat(app.resultPaths).singleElement().asString().contains(mergeId.toString());
    assertThat(app.events())
        .filteredOn(e -> e.type() == JobEvent.Type.MERGE)
        .isNotEmpty()
        .last()
        .satisfies(e -> assertThat(e.step()).isEqualTo(e.totalSteps()));
    assertThat(app.jobCalls.getFirst()).startsWith("merged-files");
    assertThat(app.jobCalls).last().isEqualTo("result");

    Path merged = workDir.resolve("downloaded");
    Files.createDirectories(merged);
    app.storage.forEach(
        (key, bytes) -> {
          if (key.startsWith("merged/")) {
            try {
              Files.write(merged.resolve(key.substring("merged/".length())), bytes);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        });
    List<String> names;
    try (var listed = Files.list(merged)) {
      names = listed.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(names)
        .contains("config.json", "tokenizer.json", "model.safetensors.index.json")
        .contains("model-f16.gguf", "model-q8_0.gguf", "Modelfile")
        .contains(
            "model-00001-of-0000"
                + (names.stream()
                    .filter(n -> n.matches("model-\\d+-of-\\d+\\.safetensors"))
                    .count())
                + ".safetensors")
        .doesNotContain("README.md", "model.safetensors");
    JsonNode config = Json.MAPPER.readTree(Files.readString(merged.resolve("config.json")));
    assertThat(config.path("torch_dtype").asString()).isEqualTo("bfloat16");

    Map<String, Tensor> baseWeights = weights(base);
    Map<String, Tensor> mergedWeights = weights(merged);
    assertThat(mergedWeights.keySet()).isEqualTo(baseWeights.keySet());
    String module = "model.layers.1.self_attn.v_proj";
    Tensor w = baseWeights.get(module + ".weight");
    Tensor a = adapterWeights.get(module + ".lora_A.weight");
    Tensor b = adapterWeights.get(module + ".lora_B.weight");
    int in = (int) w.shape()[1];
    int out = (int) w.shape()[0];
    double scale = lora.scale();
    float[] got = mergedWeights.get(module + ".weight").values();
    double largest = 0;
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        double delta = 0;
        for (int k = 0; k < lora.r(); k++) {
          delta += b.values()[o * lora.r() + k] * a.values()[k * in + i];
        }
        double expected = w.values()[o * in + i] + scale * delta;
        // stored in BF16: 8 bits of mantissa
        assertThat((double) got[o * in + i])
            .isCloseTo(expected, within(Math.abs(expected) / 128 + 1e-6));
        largest = Math.max(largest, Math.abs(scale * delta));
      }
    }
    assertThat(largest).as("the adapter changes the weight").isGreaterThan(0.01);
    assertThat(mergedWeights.get("model.layers.0.mlp.up_proj.weight"))
        .isEqualTo(baseWeights.get("model.layers.0.mlp.up_proj.weight"));
  }

  @Test
  void aMergeCancelledAfterItMergedStopsBeforeUploadingAnything() throws Exception {
    Path base = base();
    UUID mergeId = UUID.randomUUID();
    app.leases.add(lease(base, randomAdapter(base, LORA, 2), mergeId));
    // the user cancels as the node asks for upload URLs: the URLs come once the node heard it
    app.cancelOnMergedFiles = true;

    NodeAgent agent = new NodeAgent(options());
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    agent.run();
                  } catch (Throwable ignored) {
                    // the assertions below say what went wrong
                  }
                });
    try {
      JobResult result = app.results.poll(60, TimeUnit.SECONDS);
      assertThat(result).isEqualTo(JobResult.failed("cancelled", 0, 0));
      assertThat(app.resultPaths).singleElement().asString().contains(mergeId.toString());
      assertThat(app.jobCalls).first().asString().startsWith("merged-files");
      assertThat(app.jobCalls).last().isEqualTo("result");
      assertThat(app.storage.keySet())
          .as("nothing of the merged model uploaded")
          .noneMatch(key -> key.startsWith("merged/"));
    } finally {
      agent.stop();
      loop.interrupt();
      loop.join(10_000);
    }
  }

  /** A small BF16 demo base with a model card. */
  private Path base() throws Exception {
    Path base = workDir.resolve("base");
    DemoModelWriter.builder()
        .optSeed(5)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .optLayers(2)
        .optDataType(DataType.BF16)
        .build()
        .writeTo(base);
    Files.writeString(base.resolve("README.md"), "---\nlicense: apache-2.0\n---\nthe base's card");
    return base;
  }

  /** The merge lease of the base and adapter, both put into the faked storage. */
  private Lease lease(Path base, Map<String, Tensor> adapterWeights, UUID mergeId)
      throws Exception {
    Path adapter = workDir.resolve("adapter");
    PeftAdapterWriter.write(adapter, LORA, "org/demo", "main", adapterWeights);
    Map<String, String> inputs = new HashMap<>();
    put(base, "model/", inputs);
    put(adapter, "adapter/", inputs);
    TrainingSpec spec =
        new TrainingSpec(
            UUID.randomUUID().toString(),
            "org/demo",
            LORA,
            new Hyperparameters(1, 1e-4, 1, 64, 42, 1),
            null);
    return new Lease(
        UUID.randomUUID(),
        mergeId,
        Instant.now().plusSeconds(600),
        spec,
        inputs,
        Map.of(),
        Lease.MERGE,
        SHARD_BYTES);
  }

  private static Map<String, Tensor> randomAdapter(Path base, LoraSettings lora, int layers)
      throws Exception {
    Map<String, Tensor> baseWeights = weights(base);
    SplittableRandom random = new SplittableRandom(11);
    Map<String, Tensor> adapter = new TreeMap<>();
    for (int layer = 0; layer < layers; layer++) {
      for (String target : lora.targetModules()) {
        String module = "model.layers." + layer + ".self_attn." + target;
        long[] shape = baseWeights.get(module + ".weight").shape();
        adapter.put(module + ".lora_A.weight", random(random, lora.r(), shape[1]));
        adapter.put(module + ".lora_B.weight", random(random, shape[0], lora.r()));
      }
    }
    return adapter;
  }

  private static Tensor random(SplittableRandom random, long rows, long columns) {
    float[] values = new float[(int) (rows * columns)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() - 0.5) * 0.5f;
    }
    return new Tensor(new long[] {rows, columns}, values);
  }

  private static Map<String, Tensor> weights(Path folder) throws Exception {
    Map<String, Tensor> all = new HashMap<>();
    try (var listed = Files.list(folder)) {
      for (Path file : listed.filter(f -> f.toString().endsWith(".safetensors")).toList()) {
        all.putAll(SafeTensors.read(file).tensors());
      }
    }
    return all;
  }

  private void put(Path folder, String prefix, Map<String, String> inputs) throws Exception {
    try (var files = Files.list(folder)) {
      for (Path file : files.toList()) {
        String key = "in/" + prefix + file.getFileName();
        app.storage.put(key, Files.readAllBytes(file));
        inputs.put(prefix + file.getFileName(), app.fileUrl(key));
      }
    }
  }

  private NodeOptions options() {
    return new NodeOptions(
        app.uri(),
        workDir.resolve("node"),
        FakeApp.TOKEN,
        "merge-node",
        Duration.ofMillis(200),
        "cpu",
        "256m",
        FakeTrainingJobMain.class.getName(),
        Duration.ofSeconds(5));
  }
}
