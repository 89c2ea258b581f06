package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static dev.tuneforge.launcher.PlatformTestSupport.sroieTrainingFile;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole platform, for real: embedded PostgreSQL, S3Proxy, the app and the training-node process
 * training the demo model on SROIE receipts. One platform serves every test; the fine-tunes (LoRA,
 * then a short full fine-tune, then a short QLoRA one) are launched in {@link #startPlatform} so
 * they train while the isolation tests run.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class FineTuneEndToEndIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> TARGETS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
  private static final int RANK = 8;
  private static final int MAX_STEPS = 30;
  private static final long UPLOAD_LIMIT = 1 << 20;
  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(8);

  private static Path dataDir;
  private static LocalPlatform platform;
  private static ApplicationContext app;
  private static long startupMillis;

  private static SignedInUser memberOfA;
  private static SignedInUser memberOfB;
  private static DatasetSummary datasetOfA;
  private static String datasetKeyOfA;
  private static FineTuneJob jobOfA;
  private static FineTuneJob fullJobOfA;
  private static final int FULL_STEPS = 6;
  private static FineTuneJob qloraJobOfA;
  private static final int QLORA_STEPS = 6;

  @BeforeAll
  static void startPlatform() throws IOException {
    dataDir = Files.createTempDirectory("tuneforge-e2e-");
    long started = System.nanoTime();
    platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(dataDir)
                .withAppProperties(
                    Map.of("tuneforge.datasets.max-upload-bytes", Long.toString(UPLOAD_LIMIT))));
    startupMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    System.out.println("Platform started in " + startupMillis + " ms at " + platform.baseUrl());
    app = platform.context();

    SignedInUser admin = principal(app, platform.adminUsername());
    Tenant tenantA =
        as(admin, () -> app.getBean(TenantService.class).create("Receipts Inc " + suffix()));
    Tenant tenantB =
        as(admin, () -> app.getBean(TenantService.class).create("Other Corp " + suffix()));
    memberOfA = member(admin, tenantA, "alice-" + suffix());
    memberOfB = member(admin, tenantB, "bob-" + suffix());

    Path subset = dataDir.resolve("sroie-first-40.jsonl");
    try (Stream<String> lines = Files.lines(sroieTrainingFile())) {
      Files.write(subset, lines.limit(40).toList());
    }
    datasetOfA =
        as(
            memberOfA,
            () ->
                app.getBean(DatasetService.class)
                    .upload("receipts", "sroie-first-40.jsonl", subset));
    datasetKeyOfA =
        as(
            memberOfA,
            () ->
                app.getBean(DatasetService.class)
                    .trainingFileKey(datasetOfA.versionId())
                    .orElseThrow());

    BaseModel demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow();
    FineTuneRequest request =
        FineTuneRequest.builder()
            .setBaseModel(demo.getId())
            .setDatasetVersion(datasetOfA.versionId())
            .optLora(RANK, 16, 0.0)
            .optTargetModules(TARGETS)
            .optEpochs(10)
            .optLearningRate(2e-3)
            .optBatchSize(4)
            // 1024 rather than 256: receipts run to ~1,900 characters and the encoder truncates
            // from the right, so at 256 most answers (the only trained tokens) would be cut off.
            .optMaxSequenceLength(1024)
            .optSeed(42)
            .optMaxSteps(MAX_STEPS)
            .build();
    jobOfA = as(memberOfA, () -> app.getBean(FineTuneService.class).create(request));
    // Queued behind the LoRA job on the one node: a few steps of training every weight, and a
    // two-example evaluation whose base side must be the untouched model.
    FineTuneRequest full =
        request.toBuilder()
            .optLearningRate(1e-3)
            .optMaxSteps(FULL_STEPS)
            .optCheckpointEvery(0)
            .optEvaluation(null, 2)
            .optMethod(FineTuneRequest.FULL)
            .build();
    fullJobOfA = as(memberOfA, () -> app.getBean(FineTuneService.class).create(full));
    // Then a few steps of LoRA over the NF4 base, no evaluation.
    FineTuneRequest qlora =
        request.toBuilder()
            .optMaxSteps(QLORA_STEPS)
            .optCheckpointEvery(0)
            .optEvaluation(null, 0)
            .optMethod(FineTuneRequest.QLORA)
            .build();
    qloraJobOfA = as(memberOfA, () -> app.getBean(FineTuneService.class).create(qlora));
  }

  /** Set when a test fails, so that the data folder (logs, database) stays for a look. */
  private static volatile boolean anyFailed;

  @RegisterExtension
  static final TestWatcher FAILURES =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          anyFailed = true;
        }
      };

  @AfterAll
  static void stopPlatform() throws IOException {
    if (platform != null) {
      platform.close();
    }
    if (anyFailed || platform == null) {
      System.out.println("Kept the platform's data folder for a look: " + dataDir);
    } else {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void theDatasetIsStoredUnderItsTenant() {
    assertThat(datasetOfA.rows()).isEqualTo(40);
    assertThat(datasetKeyOfA)
        .startsWith(dev.tuneforge.app.storage.ObjectKeys.tenantPrefix(memberOfA.tenantId()));
    assertThat(jobOfA.getStatus())
        .as("its dataset and base model files were found")
        .isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void badUploadsAreRefusedWithTheLineAndReasonAndLeaveNothingBehind() throws IOException {
    Path malformed = dataDir.resolve("malformed.jsonl");
    Files.writeString(
        malformed,
        "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}\n");
    Path empty = Files.writeString(dataDir.resolve("empty.jsonl"), "");
    Path tooLarge = dataDir.resolve("too-large.jsonl");
    List<String> receipts = Files.readAllLines(sroieTrainingFile());
    try (var out = Files.newBufferedWriter(tooLarge)) {
      for (int i = 0; Files.size(tooLarge) <= UPLOAD_LIMIT; i++) {
        out.write(receipts.get(i % receipts.size()));
        out.newLine();
        out.flush();
      }
    }
    as(
        memberOfB,
        () -> {
          DatasetService datasets = app.getBean(DatasetService.class);
          assertThatThrownBy(() -> datasets.upload("broken", "malformed.jsonl", malformed))
              .isInstanceOfSatisfying(
                  DatasetRejected.class,
                  e ->
                      assertThat(e.report().problems())
                          .containsExactly("line 2: no assistant message to learn from"));
          assertThatThrownBy(() -> datasets.upload("empty", "empty.jsonl", empty))
              .isInstanceOfSatisfying(
                  DatasetRejected.class,
                  e -> assertThat(e.report().problems().getFirst()).contains("empty"));
          assertThatThrownBy(() -> datasets.upload("huge", "too-large.jsonl", tooLarge))
              .isInstanceOfSatisfying(
                  DatasetRejected.class,
                  e -> assertThat(e.getMessage()).contains("the limit is 1.0 MB"));
          assertThat(datasets.list()).isEmpty();
          return null;
        });
    assertThat(
            app.getBean(ObjectStorage.class)
                .list(dev.tuneforge.app.storage.ObjectKeys.tenantPrefix(memberOfB.tenantId())))
        .as("no object of a refused upload is left in storage")
        .isEmpty();
  }

  @Test
  void anotherTenantSeesNeitherTheJobNorTheDatasetNorItsObjects() {
    as(
        memberOfB,
        () -> {
          assertThat(app.getBean(FineTuneService.class).find(jobOfA.getId())).isEmpty();
          assertThat(app.getBean(FineTuneService.class).list())
              .extracting(FineTuneJob::getId)
              .doesNotContain(jobOfA.getId());
          assertThat(app.getBean(FineTuneService.class).events(jobOfA.getId())).isEmpty();
          assertThat(app.getBean(DatasetService.class).findVersion(datasetOfA.versionId()))
              .isEmpty();
          assertThat(app.getBean(DatasetService.class).list())
              .extracting(DatasetSummary::versionId)
              .doesNotContain(datasetOfA.versionId());
          assertThatThrownBy(
                  () -> app.getBean(ObjectStorage.class).tenantOpen(datasetKeyOfA).close())
              .isInstanceOf(SecurityException.class);
          return null;
        });
    // ... while its own member still sees all three.
    as(
        memberOfA,
        () -> {
          assertThat(app.getBean(FineTuneService.class).find(jobOfA.getId())).isPresent();
          assertThat(app.getBean(DatasetService.class).findVersion(datasetOfA.versionId()))
              .isPresent();
          try (InputStream in = app.getBean(ObjectStorage.class).tenantOpen(datasetKeyOfA)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count())
                .isEqualTo(40);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }

  @Test
  void theNodeApiRefusesAWrongCredential() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String heartbeat = "{\"state\":\"idle\",\"currentJobId\":null}";
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/api/node/v1/heartbeat"))
                .header("Authorization", "Bearer tfn_not-a-real-credential")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(heartbeat))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> none =
        http.send(
            HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/api/node/v1/heartbeat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(heartbeat))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
  }

  @Test
  void theSignInPageAnswers() throws Exception {
    HttpResponse<String> login =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
  }

  @Test
  void theRealNodeTrainsTheDemoModelIntoAPeftAdapter() throws IOException {
    long started = System.nanoTime();
    FineTuneJob finished = awaitSucceeded(jobOfA, "fine-tune");
    System.out.println(
        "Fine-tune "
            + finished.getStatus()
            + " after "
            + Duration.ofNanos(System.nanoTime() - started).toSeconds()
            + " s of waiting (platform start "
            + startupMillis
            + " ms)");
    assertThat(finished.getSteps()).isEqualTo(MAX_STEPS);

    Map<String, byte[]> adapter = adapterFiles(finished);
    assertThat(adapter).containsOnlyKeys("adapter_config.json", "adapter_model.safetensors");

    JsonNode config = JSON.readTree(adapter.get("adapter_config.json"));
    assertThat(config.path("peft_type").asString()).isEqualTo("LORA");
    assertThat(config.path("r").asInt()).isEqualTo(RANK);
    assertThat(config.path("lora_alpha").asDouble()).isEqualTo(16.0);
    assertThat(config.path("base_model_name_or_path").asString()).isEqualTo(DemoModel.NAME);
    Set<String> targets = new TreeSet<>();
    config.path("target_modules").forEach(node -> targets.add(node.asString()));
    assertThat(targets).containsExactlyInAnyOrderElementsOf(TARGETS);

    JsonNode model = demoModelConfig();
    int hidden = model.path("hidden_size").asInt();
    int intermediate = model.path("intermediate_size").asInt();
    int layers = model.path("num_hidden_layers").asInt();
    int headDim = model.path("head_dim").asInt(hidden / model.path("num_attention_heads").asInt());
    int queryWidth = model.path("num_attention_heads").asInt() * headDim;
    int keyValueWidth = model.path("num_key_value_heads").asInt() * headDim;
    Map<String, long[]> shapes = safetensorsShapes(adapter.get("adapter_model.safetensors"));
    Map<String, long[]> expected = new HashMap<>();
    for (int i = 0; i < layers; i++) {
      String layer = "base_model.model.model.layers." + i + ".";
      expectLora(expected, layer + "self_attn.q_proj", hidden, queryWidth);
      expectLora(expected, layer + "self_attn.k_proj", hidden, keyValueWidth);
      expectLora(expected, layer + "self_attn.v_proj", hidden, keyValueWidth);
      expectLora(expected, layer + "self_attn.o_proj", queryWidth, hidden);
      expectLora(expected, layer + "mlp.gate_proj", hidden, intermediate);
      expectLora(expected, layer + "mlp.up_proj", hidden, intermediate);
      expectLora(expected, layer + "mlp.down_proj", intermediate, hidden);
    }
    assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((name, shape) -> assertThat(shapes.get(name)).as(name).containsExactly(shape));

    List<Double> losses =
        as(memberOfA, () -> app.getBean(FineTuneService.class).events(finished.getId())).stream()
            .filter(event -> event.getType() == JobEvent.Type.METRIC && event.getLoss() != null)
            .sorted(Comparator.comparing(JobEventRecord::getId))
            .map(JobEventRecord::getLoss)
            .toList();
    assertThat(losses).hasSizeGreaterThanOrEqualTo(10);
    double first =
        losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last =
        losses.subList(losses.size() - 5, losses.size()).stream()
            .mapToDouble(Double::doubleValue)
            .average()
            .orElseThrow();
    System.out.printf("Loss fell from %.3f (first 5 steps) to %.3f (last 5)%n", first, last);
    assertThat(last).as("losses %s", losses).isLessThan(first);
  }

  @Test
  void theRealNodeFullyFineTunesTheDemoModelIntoAHuggingFaceModel() throws IOException {
    FineTuneJob finished = awaitSucceeded(fullJobOfA, "full fine-tune");
    assertThat(finished.getMethod()).isEqualTo("full");
    assertThat(finished.getSteps()).isEqualTo(FULL_STEPS);
    assertThat(finished.getAdapterPrefix())
        .as("the model its holding delivered")
        .endsWith("/jobs/" + finished.getId() + "/leases/" + finished.getLeaseId() + "/model/");
    Map<String, byte[]> tuned =
        as(
            memberOfA,
            () -> {
              assertThat(app.getBean(FineTuneService.class).adapterFiles(finished.getId()))
                  .as("no adapter for a full fine-tune")
                  .isEmpty();
              Map<String, byte[]> files = new HashMap<>();
              for (String key :
                  app.getBean(FineTuneService.class).tunedModelFiles(finished.getId())) {
                try (InputStream in = app.getBean(ObjectStorage.class).tenantOpen(key)) {
                  files.put(key.substring(key.lastIndexOf('/') + 1), in.readAllBytes());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
              return files;
            });
    assertThat(tuned)
        .containsKeys(
            "model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json");
    assertThat(
            as(
                memberOfB,
                () -> app.getBean(FineTuneService.class).tunedModelFiles(finished.getId())))
        .isEmpty();
    assertThat(JSON.readTree(tuned.get("config.json")).path("architectures").get(0).asString())
        .isEqualTo(demoModelConfig().path("architectures").get(0).asString());

    // Every base tensor, same shape, in fp32 (the independent header reader checks 4 bytes a
    // value), values changed.
    Path basePath = downloadDemoModel().resolve("model.safetensors");
    Path tunedPath =
        Files.write(dataDir.resolve("tuned-model.safetensors"), tuned.get("model.safetensors"));
    Map<String, long[]> shapes = safetensorsShapes(tuned.get("model.safetensors"));
    Map<String, Tensor> base = SafeTensors.read(basePath).tensors();
    Map<String, Tensor> trained = SafeTensors.read(tunedPath).tensors();
    assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(base.keySet());
    base.forEach(
        (name, tensor) -> {
          assertThat(shapes.get(name)).as(name).containsExactly(tensor.shape());
          assertThat(Arrays.equals(trained.get(name).values(), tensor.values()))
              .as("%s changed", name)
              .isFalse();
        });
    assertThat(as(memberOfA, () -> app.getBean(FineTuneService.class).events(finished.getId())))
        .extracting(JobEventRecord::getMessage)
        .anyMatch(
            m -> m != null && m.startsWith("wrote the tuned model after " + FULL_STEPS + " steps"));
  }

  /**
   * QLoRA trains over the demo model's projections in NF4 and delivers a PEFT adapter like LoRA's,
   * which the node's merge tool loads onto the unquantised base.
   */
  @Test
  void theRealNodeTrainsQLoraOverAnNf4BaseIntoAnAdapterThatLoadsOnTheFullBase() throws Exception {
    FineTuneJob finished = awaitSucceeded(qloraJobOfA, "QLoRA fine-tune");
    assertThat(finished.getMethod()).isEqualTo("qlora");
    assertThat(finished.getSteps()).isEqualTo(QLORA_STEPS);
    assertThat(as(memberOfA, () -> app.getBean(FineTuneService.class).events(finished.getId())))
        .extracting(JobEventRecord::getMessage)
        .anyMatch(m -> m != null && m.contains("trainable LoRA parameters over an NF4 base"));
    assertThat(
            as(memberOfB, () -> app.getBean(FineTuneService.class).adapterFiles(finished.getId())))
        .isEmpty();
    Map<String, byte[]> adapter = adapterFiles(finished);
    assertThat(adapter).containsOnlyKeys("adapter_config.json", "adapter_model.safetensors");
    assertThat(JSON.readTree(adapter.get("adapter_config.json")).path("r").asInt()).isEqualTo(RANK);
    Path adapterDir = Files.createDirectories(dataDir.resolve("qlora-adapter"));
    adapter.forEach(
        (name, bytes) -> {
          try {
            Files.write(adapterDir.resolve(name), bytes);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });

    Path base = downloadDemoModel();
    Path merged = dataDir.resolve("qlora-merged");
    ProcessBuilder mergeCommand =
        new ProcessBuilder(
                Artifacts.java().toString(),
                "-cp",
                Artifacts.nodeJar().toString(),
                "dev.tuneforge.trainingnode.export.MergeMain",
                "--model",
                base.toString(),
                "--adapter",
                adapterDir.toString(),
                "--out",
                merged.toString())
            .redirectErrorStream(true)
            .redirectOutput(dataDir.resolve("logs/qlora-merge.log").toFile());
    if (System.getenv("ENGINE_CACHE_DIR") == null) {
      // where the local node unpacked the engine's natives
      mergeCommand.environment().put("ENGINE_CACHE_DIR", dataDir.resolve("djl-cache").toString());
    }
    Process merge = mergeCommand.start();
    merge.getOutputStream().close();
    assertThat(merge.waitFor()).as("merge exit code; see logs/qlora-merge.log").isZero();
    Map<String, Tensor> original = SafeTensors.read(base.resolve("model.safetensors")).tensors();
    Map<String, Tensor> withAdapter =
        SafeTensors.read(merged.resolve("model.safetensors")).tensors();
    assertThat(withAdapter.keySet()).isEqualTo(original.keySet());
    assertThat(
            Arrays.equals(
                withAdapter.get("model.layers.0.self_attn.q_proj.weight").values(),
                original.get("model.layers.0.self_attn.q_proj.weight").values()))
        .as("the adapter changed the projection it targets")
        .isFalse();
  }

  private static FineTuneJob awaitSucceeded(FineTuneJob job, String what) {
    FineTuneJob finished =
        PlatformTestSupport.awaitFinished(
            platform, memberOfA, job.getId(), TRAINING_TIMEOUT, dataDir);
    if (finished.getStatus() != JobStatus.SUCCEEDED) {
      fail(
          "The "
              + what
              + " ended "
              + finished.getStatus()
              + ": "
              + finished.getError()
              + "\nEvents:\n"
              + PlatformTestSupport.eventLog(platform, memberOfA, finished.getId())
              + "\nNode log:\n"
              + PlatformTestSupport.tail(dataDir.resolve("logs/node.log"), 60));
    }
    return finished;
  }

  private static Map<String, byte[]> adapterFiles(FineTuneJob job) {
    return as(
        memberOfA,
        () -> {
          Map<String, byte[]> files = new HashMap<>();
          for (String key : app.getBean(FineTuneService.class).adapterFiles(job.getId())) {
            try (InputStream in = app.getBean(ObjectStorage.class).tenantOpen(key)) {
              files.put(key.substring(key.lastIndexOf('/') + 1), in.readAllBytes());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          return files;
        });
  }

  /** The demo model's files from the catalogue's storage, once, into the data folder. */
  private static synchronized Path downloadDemoModel() throws IOException {
    Path directory = dataDir.resolve("demo-model");
    if (Files.isDirectory(directory)) {
      return directory;
    }
    Path partial = Files.createDirectories(dataDir.resolve("demo-model.partial"));
    BaseModel demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow();
    for (String file : app.getBean(CatalogService.class).files(demo)) {
      try (InputStream in = app.getBean(ObjectStorage.class).open(demo.getObjectPrefix() + file)) {
        Path target = partial.resolve(file);
        Files.createDirectories(target.getParent());
        Files.write(target, in.readAllBytes());
      }
    }
    return Files.move(partial, directory);
  }

  private static void expectLora(Map<String, long[]> expected, String module, int in, int out) {
    expected.put(module + ".lora_A.weight", new long[] {RANK, in});
    expected.put(module + ".lora_B.weight", new long[] {out, RANK});
  }

  /**
   * Reads a safetensors header the way any consumer would: 8-byte little-endian length, then JSON.
   */
  private static Map<String, long[]> safetensorsShapes(byte[] file) {
    long headerLength = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength).isPositive().isLessThan(file.length - 8L);
    JsonNode header =
        JSON.readTree(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8));
    Map<String, long[]> shapes = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : header.properties()) {
      if (entry.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode shape = entry.getValue().path("shape");
      long[] dims = new long[shape.size()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape.get(i).asLong();
      }
      shapes.put(entry.getKey(), dims);
      JsonNode offsets = entry.getValue().path("data_offsets");
      long bytes = offsets.get(1).asLong() - offsets.get(0).asLong();
      assertThat(bytes).as(entry.getKey() + " byte size").isEqualTo(elements(dims) * 4);
    }
    return shapes;
  }

  private static long elements(long[] dims) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    return count;
  }

  /** The demo model's config.json, as the catalogue stored it. */
  private static JsonNode demoModelConfig() throws IOException {
    BaseModel demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow();
    try (InputStream in =
        app.getBean(ObjectStorage.class).open(demo.getObjectPrefix() + "config.json")) {
      return JSON.readTree(in.readAllBytes());
    }
  }

  private static SignedInUser member(SignedInUser admin, Tenant tenant, String username) {
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(tenant.getId(), username, username, "correct-horse-1", Role.MEMBER));
    return principal(app, username);
  }
}
