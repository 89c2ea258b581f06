package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationFiles;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.HeartbeatReply;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.ModelFiles;
import dev.tuneforge.protocol.PromptMessage;
import dev.tuneforge.trainingnode.generate.LoraFixtures;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.serve.Completion;
import dev.tuneforge.trainingnode.serve.GenerationStream;
import dev.tuneforge.trainingnode.serve.ServingEngine;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with {@code --serve} against a faked app: it polls for generation requests,
 * downloads the base and the adapters through their URLs, generates in its serving JVM and posts
 * the chunks, each generation answered by its own adapter; and it obeys the admin's policy.
 */
class ServingAgainstFakeAppTest {
  @TempDir Path workDir;
  @TempDir Path files;
  private FakeApp app;
  private NodeAgent agent;
  private Thread running;

  @BeforeEach
  void startApp() throws Exception {
    app = new FakeApp();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (agent != null) {
      agent.stop();
      running.join(20_000);
    }
    app.close();
  }

  @Test
  void twoTenantsAdaptersAndTheBaseAreServedAtOnceEachAsAlone() throws Exception {
    Path model = files.resolve("model");
    DemoModelWriter.write(model, 11);
    ModelFiles base = store("models/demo/", model);
    ModelFiles a = store("tenant-a-job", adapter(model, "a", LoraFixtures.ALL_PROJECTIONS, 7));
    ModelFiles b =
        store("tenant-b-job", adapter(model, "b", new LoraSettings(2, 8, 0, List.of("v_proj")), 8));
    List<PromptMessage> chat = List.of(new PromptMessage("user", "TOTAL 12.50 CASH"));
    List<GenerationRequest> requests =
        List.of(
            GenerationRequest.chat(UUID.randomUUID(), base, a, chat, 12, 0),
            GenerationRequest.chat(UUID.randomUUID(), base, b, chat, 12, 0),
            new GenerationRequest(
                UUID.randomUUID(),
                base,
                null,
                null,
                "The total is",
                8,
                0,
                1,
                null,
                List.of(),
                false));
    app.generations.add(requests);
    start();

    waitUntil(() -> requests.stream().allMatch(r -> app.lastChunk(r.id()) != null), 180);

    try (ServingEngine alone = ServingEngine.builder().setModelDirectory(model).build()) {
      List<ChatMessage> messages = List.of(ChatMessage.of("user", "TOTAL 12.50 CASH"));
      Map<String, Path> folders =
          Map.of("tenant-a-job", files.resolve("a"), "tenant-b-job", files.resolve("b"));
      for (GenerationRequest request : requests) {
        long[] prompt =
            request.isChat() ? alone.encodeChat(messages) : alone.encodeText(request.prompt());
        String key = request.adapter() == null ? null : request.adapter().cacheKey();
        String[] expected = new String[2];
        alone.submit(
            Completion.greedy(
                prompt, key, key == null ? null : folders.get(key), request.maxTokens()),
            new GenerationStream() {
              final StringBuilder text = new StringBuilder();

              @Override
              public void onToken(long tokenId, String delta) {
                text.append(delta);
              }

              @Override
              public void onFinish(String delta, String reason, int promptTokens, int tokens) {
                expected[0] = text.append(delta).toString();
                expected[1] = reason + " " + promptTokens + " " + tokens;
              }

              @Override
              public void onError(String message) {
                expected[0] = message;
              }
            });
        alone.runUntilIdle();
        GenerationChunk last = app.lastChunk(request.id());
        assertThat(app.generated(request.id())).as(key).isEqualTo(expected[0]);
        assertThat(
                last.finishReason()
                    + " "
                    + last.usage().promptTokens()
                    + " "
                    + last.usage().completionTokens())
            .isEqualTo(expected[1]);
        List<GenerationChunk> chunks = app.chunks.get(request.id());
        for (int i = 0; i < chunks.size(); i++) {
          assertThat(chunks.get(i).index()).isEqualTo(i);
        }
      }
    }
    assertThat(app.generated(requests.get(0).id()))
        .isNotEqualTo(app.generated(requests.get(1).id()));
    waitUntil(() -> app.generationPolls.getLast().loadedAdapters().size() == 2, 10);
    assertThat(app.generationPolls.getLast().loadedBaseModels()).containsExactly("models/demo/");
  }

  @Test
  void aModelFileStorageRefusesIsDownloadedWithTheFilesTheAppSignsAgain() throws Exception {
    Path model = files.resolve("model");
    DemoModelWriter.write(model, 11);
    ModelFiles fresh = store("models/refused/", model);
    Map<String, String> stale = new HashMap<>(fresh.files());
    // the weights' URL ran out while the files before it downloaded
    stale.put("model.safetensors", app.fileUrl("stale/model.safetensors"));
    app.expiredFiles.add("stale/model.safetensors");
    GenerationRequest request =
        GenerationRequest.chat(
            UUID.randomUUID(),
            new ModelFiles(fresh.cacheKey(), stale),
            null,
            List.of(new PromptMessage("user", "TOTAL 12.50 CASH")),
            4,
            0);
    app.generationFiles.put(request.id(), new GenerationFiles(fresh, null));
    app.generations.add(List.of(request));
    start();

    waitUntil(() -> app.lastChunk(request.id()) != null, 180);
    assertThat(app.lastChunk(request.id()).error()).isNull();
    assertThat(app.generated(request.id())).isNotEmpty();
    assertThat(app.generationFilesAsked).containsExactly(request.id());
  }

  @Test
  void theAdminsPolicyTurnsServingOffAndOn() throws Exception {
    app.servingPolicy.set(HeartbeatReply.SERVING_OFF);
    start();
    waitUntil(() -> app.heartbeats.size() >= 3, 20);
    int pollsWhileOff = app.generationPolls.size();
    Thread.sleep(1000);
    assertThat(app.generationPolls.size())
        .as("polls while off")
        .isLessThanOrEqualTo(pollsWhileOff + 1);

    app.servingPolicy.set(HeartbeatReply.SERVING_ALWAYS);
    waitUntil(() -> app.generationPolls.size() > pollsWhileOff + 2, 20);
  }

  @Test
  void whenIdleTakesNoRequestsWhileATrainingJobRuns() throws Exception {
    app.servingPolicy.set(HeartbeatReply.SERVING_WHEN_IDLE);
    app.leases.add(NodeAgentAgainstFakeAppTest.lease(Map.of(), Map.of()));
    start(SlowTrainingJobMain.class);
    waitUntil(() -> !app.events().isEmpty(), 30);
    int pollsWhileTraining = app.generationPolls.size();
    Thread.sleep(1500);
    assertThat(app.generationPolls.size())
        .as("polls while the job runs")
        .isLessThanOrEqualTo(pollsWhileTraining + 1);

    app.cancel.set(true);
    app.results.poll(20, java.util.concurrent.TimeUnit.SECONDS);
    app.cancel.set(false);
    waitUntil(() -> app.generationPolls.size() > pollsWhileTraining + 2, 20);
  }

  private void start() {
    start(FakeTrainingJobMain.class);
  }

  private void start(Class<?> trainer) {
    agent =
        new NodeAgent(
            new NodeOptions(
                    app.uri(),
                    workDir,
                    FakeApp.TOKEN,
                    "serving-node",
                    Duration.ofMillis(200),
                    "cpu",
                    "1g",
                    trainer.getName(),
                    Duration.ofSeconds(5))
                .withServing(
                    new NodeOptions.Serving(
                        true, 1, 4, NodeOptions.Serving.DEFAULT_ADAPTER_DISK_BYTES)));
    running =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    agent.run();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  private Path adapter(Path model, String name, LoraSettings lora, long seed) throws IOException {
    Path folder = files.resolve(name);
    try (LlamaModel trained = LlamaModel.load(model, lora, seed)) {
      LoraFixtures.randomizeLoraB(trained, seed);
      PeftAdapterWriter.write(folder, lora, "demo", trained.exportLora());
    }
    return folder;
  }

  /** Puts a folder's files into the fake storage and names them as a request does. */
  private ModelFiles store(String key, Path folder) throws IOException {
    Map<String, String> urls = new HashMap<>();
    try (Stream<Path> listed = Files.list(folder)) {
      for (Path file : listed.toList()) {
        String name = file.getFileName().toString();
        app.storage.put(key + "/" + name, Files.readAllBytes(file));
        urls.put(name, app.fileUrl(key + "/" + name));
      }
    }
    return new ModelFiles(key, urls);
  }

  private static void waitUntil(BooleanSupplier condition, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
