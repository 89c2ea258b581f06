package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.NodeApi;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.jobprocess.TrainingJobMain;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent end to end against a faked app and object storage, with fake trainers as the child JVM.
 */
class NodeAgentAgainstFakeAppTest {
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
  void enrolsOnceAndLaterStartsWithTheStoredCredentialAlone() throws Exception {
    EnrolResponse first =
        new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class)).connect();

    Path stored = workDir.resolve("node-credential.json");
    assertThat(first.nodeId()).isEqualTo(app.nodeId);
    assertThat(Files.readString(stored)).contains(FakeApp.CREDENTIAL, app.nodeId.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)))
        .isEqualTo("rw-------");
    assertThat(app.enrolments)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.name()).isEqualTo("test-node");
              assertThat(request.resources().device()).isEqualTo("cpu");
              assertThat(request.resources().cpuCores()).isPositive();
              assertThat(request.resources().memoryBytes()).isPositive();
              assertThat(request.resources().deviceName()).isNotBlank();
              assertThat(request.protocolVersion()).isEqualTo(NodeApi.PROTOCOL_VERSION);
            });

    NodeAgent restarted = new NodeAgent(options(null, FakeTrainingJobMain.class));
    assertThat(restarted.connect().nodeId()).isEqualTo(app.nodeId);
    assertThat(restarted.pollOnce()).isFalse();
    assertThat(app.enrolments).hasSize(1);
    assertThat(app.authorizations).containsOnly("Bearer " + FakeApp.CREDENTIAL);
  }

  @Test
  void refusesToStartWithoutTokenOrCredential() {
    assertThatThrownBy(() -> new NodeAgent(options(null, FakeTrainingJobMain.class)).connect())
        .isInstanceOfSatisfying(FatalNodeError.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("not enrolled")
        .hasMessageContaining("--token");
    assertThat(app.enrolments).isEmpty();
  }

  @Test
  void saysSoWhenTheEnrolmentTokenIsRejected() {
    assertThatThrownBy(
            () -> new NodeAgent(options("stale-token", FakeTrainingJobMain.class)).connect())
        .isInstanceOf(FatalNodeError.class)
        .hasMessageContaining("rejected the enrolment token (HTTP 401)");
    assertThat(workDir.resolve("node-credential.json")).doesNotExist();
  }

  @Test
  void stopsWithAClearErrorWhenTheAppTakesNodesOfAnotherProtocolVersion() {
    app.protocolVersion = NodeApi.PROTOCOL_VERSION + 1;

    assertThatThrownBy(
            () -> new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class)).connect())
        .isInstanceOfSatisfying(FatalNodeError.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessageContaining("does not take nodes of protocol version " + NodeApi.PROTOCOL_VERSION)
        .hasMessageContaining("this app takes nodes of protocol version " + app.protocolVersion);
    assertThat(app.enrolments).hasSize(1);
    assertThat(workDir.resolve("node-credential.json")).doesNotExist();
  }

  @Test
  void stopsWithAClearErrorWhenTheAppRejectsTheCredential() throws Exception {
    new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class)).connect();
    app.rejectCredential = true;

    assertThatThrownBy(() -> new NodeAgent(options(null, FakeTrainingJobMain.class)).run())
        .isInstanceOfSatisfying(FatalNodeError.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessageContaining("rejected this node's credential (HTTP 401)")
        .hasMessageContaining("node-credential.json");
  }

  @Test
  void runsALeasedJobFromInputsToUploadedAdapterAndResult() throws Exception {
    app.storage.put(
        "datasets/train.jsonl",
        "{\"text\":\"a\"}\n{\"text\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));
    app.storage.put(
        "models/tiny/config.json", "{\"hidden_size\":8}".getBytes(StandardCharsets.UTF_8));
    Lease lease =
        lease(
            Map.of(
                "data/train.jsonl", app.fileUrl("datasets/train.jsonl"),
                "model/config.json", app.fileUrl("models/tiny/config.json")),
            Map.of(
                "adapter/adapter_config.json", app.fileUrl("out/adapter_config.json"),
                "adapter/adapter_model.safetensors", app.fileUrl("out/adapter_model.safetensors")));
    app.leases.add(lease);
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class));
    agent.connect();

    assertThat(agent.pollOnce()).isTrue();

    JobResult result = app.results.poll(1, TimeUnit.SECONDS);
    assertThat(result).isEqualTo(JobResult.succeeded(1, 64));
    assertThat(app.resultPaths).containsExactly("/api/node/v1/jobs/" + lease.jobId() + "/result");
    assertThat(app.events())
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.Type.LOG, JobEvent.Type.METRIC);
    assertThat(app.events().get(0).message()).isEqualTo("training on 2 examples");
    assertThat(app.events().get(1).loss()).isEqualTo(2.5);
    assertThat(new String(app.storage.get("out/adapter_config.json"), StandardCharsets.UTF_8))
        .contains("tiny-llama");
    assertThat(app.storage.get("out/adapter_model.safetensors")).containsExactly(1, 2, 3, 4);
    Path jobDir = workDir.resolve("jobs").resolve(lease.jobId().toString());
    assertThat(jobDir.resolve("model/config.json"))
        .as("inputs are removed after the job")
        .doesNotExist();
    assertThat(jobDir.resolve("spec.json")).content().contains("\"baseModel\" : \"tiny-llama\"");
    assertThat(Files.readString(jobDir.resolve("child.log")))
        .contains("stderr line from the child", "Loading model... (not JSON, kept as log)");
  }

  @Test
  void uploadsEachCheckpointInOrderRetryingAndCompletesItBeforeTheResult() throws Exception {
    app.checkpointFailures.add(503);
    app.leases.add(lease(Map.of(), adapterOutputs()));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, CheckpointingTrainingJobMain.class));
    agent.connect();

    agent.pollOnce();

    assertThat(app.results.poll(1, TimeUnit.SECONDS)).isEqualTo(JobResult.succeeded(4, 40));
    assertThat(app.jobCalls)
        .containsExactly(
            "refused checkpoint 2",
            "checkpoint 2",
            "complete 2",
            "checkpoint 4",
            "complete 4",
            "result");
    for (int step : new int[] {2, 4}) {
      for (String file : JobFolder.LORA_CHECKPOINT_FILES) {
        assertThat(
                new String(
                    app.storage.get("checkpoints/step-" + step + "/" + file),
                    StandardCharsets.UTF_8))
            .isEqualTo(file + " at step " + step);
      }
    }
    assertThat(app.events())
        .filteredOn(e -> e.type() == JobEvent.Type.LOG)
        .extracting(JobEvent::message)
        .containsExactly("checkpoint step-2", "checkpoint step-4");
  }

  @Test
  void aCheckpointTheAppRefusesIsReportedAndTheJobGoesOn() throws Exception {
    app.checkpointFailures.add(409);
    app.leases.add(lease(Map.of(), adapterOutputs()));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, CheckpointingTrainingJobMain.class));
    agent.connect();

    agent.pollOnce();

    assertThat(app.results.poll(1, TimeUnit.SECONDS)).isEqualTo(JobResult.succeeded(4, 40));
    assertThat(app.jobCalls)
        .containsExactly("refused checkpoint 2", "checkpoint 4", "complete 4", "result");
    assertThat(app.events())
        .filteredOn(e -> e.type() == JobEvent.Type.LOG)
        .extracting(JobEvent::message)
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("could not upload checkpoint step-2")
                    .contains("409"));
    assertThat(app.storage).doesNotContainKey("checkpoints/step-2/trainer_state.json");
    assertThat(app.storage.get("out/adapter_model.safetensors")).containsExactly(1, 2, 3, 4);
  }

  private Map<String, String> adapterOutputs() {
    return Map.of(
        "adapter/adapter_config.json", app.fileUrl("out/adapter_config.json"),
        "adapter/adapter_model.safetensors", app.fileUrl("out/adapter_model.safetensors"));
  }

  @Test
  void reportsACrashedChildWithItsExitCodeAndLogTail() throws Exception {
    app.leases.add(
        lease(Map.of(), Map.of("adapter/adapter_model.safetensors", app.fileUrl("out/a"))));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, CrashingTrainingJobMain.class));
    agent.connect();

    agent.pollOnce();

    JobResult result = app.results.poll(1, TimeUnit.SECONDS);
    assertThat(result.status()).isEqualTo(JobResult.Status.FAILED);
    assertThat(result.reason())
        .startsWith("training process exited with code 1")
        .contains("model/config.json has no hidden_size");
    assertThat(app.storage).doesNotContainKey("out/a");
  }

  @Test
  void uploadsOutputsThroughFreshUrlsAndNothingOnceTheLeaseIsLost() throws Exception {
    app.storage.put("d", "x\n".getBytes(StandardCharsets.UTF_8));
    Map<String, String> outputs =
        Map.of(
            "adapter/adapter_config.json", app.fileUrl("stale/adapter_config.json"),
            "adapter/adapter_model.safetensors", app.fileUrl("stale/adapter_model.safetensors"));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class));
    agent.connect();

    app.outputsStatus = 200;
    app.leases.add(lease(Map.of("data/train.jsonl", app.fileUrl("d")), outputs));
    agent.pollOnce();
    assertThat(app.results.poll(1, TimeUnit.SECONDS)).isEqualTo(JobResult.succeeded(1, 64));
    assertThat(app.storage)
        .containsKey("fresh/adapter/adapter_model.safetensors")
        .doesNotContainKey("stale/adapter_model.safetensors");

    app.outputsStatus = 409;
    app.leases.add(lease(Map.of("data/train.jsonl", app.fileUrl("d")), outputs));
    agent.pollOnce();
    assertThat(app.results.poll(1, TimeUnit.SECONDS).reason())
        .startsWith("could not get upload URLs for the outputs: ")
        .contains("409");
    assertThat(app.storage)
        .as("a node that lost its lease writes no output")
        .doesNotContainKey("stale/adapter_model.safetensors");
  }

  @Test
  void asksOnceForFreshInputUrlsWhenStorageRefusesOneAndRetriesIt() throws Exception {
    app.storage.put("d", "x\n".getBytes(StandardCharsets.UTF_8));
    app.storage.put("m", "{}".getBytes(StandardCharsets.UTF_8));
    app.expiredFiles.add("expired/m");
    app.freshInputs.put("data/train.jsonl", app.fileUrl("d"));
    app.freshInputs.put("model/config.json", app.fileUrl("m"));
    Map<String, String> inputs = new java.util.LinkedHashMap<>();
    inputs.put("data/train.jsonl", app.fileUrl("d"));
    inputs.put("model/config.json", app.fileUrl("expired/m"));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class));
    agent.connect();

    app.inputsStatus = 200;
    app.leases.add(lease(inputs, adapterOutputs()));
    agent.pollOnce();
    assertThat(app.results.poll(1, TimeUnit.SECONDS)).isEqualTo(JobResult.succeeded(1, 64));
    assertThat(app.jobCalls).containsExactly("inputs 200", "result");

    app.jobCalls.clear();
    app.expiredFiles.add("m");
    app.leases.add(lease(inputs, adapterOutputs()));
    agent.pollOnce();
    assertThat(app.results.poll(1, TimeUnit.SECONDS).reason())
        .as("a fresh URL storage refuses too is not asked for again")
        .isEqualTo(
            "could not download input model/config.json with a fresh URL: "
                + "download to config.json failed: HTTP 403");
    assertThat(app.jobCalls).containsExactly("inputs 200", "result");

    app.jobCalls.clear();
    app.inputsStatus = 409;
    app.leases.add(lease(inputs, adapterOutputs()));
    agent.pollOnce();
    assertThat(app.results.poll(1, TimeUnit.SECONDS).reason())
        .as("a node that lost its lease gets no fresh URLs")
        .startsWith(
            "could not download input model/config.json: download to config.json failed: HTTP 403,"
                + " and the app gave no fresh URLs: ")
        .contains("409");
    assertThat(app.jobCalls).containsExactly("inputs 409", "result");
  }

  @Test
  void failsTheJobWhenAnOutputIsMissing() throws Exception {
    app.storage.put("d", "x\n".getBytes(StandardCharsets.UTF_8));
    app.leases.add(
        lease(
            Map.of("data/train.jsonl", app.fileUrl("d")),
            Map.of("adapter/checkpoint.bin", app.fileUrl("out/checkpoint.bin"))));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class));
    agent.connect();

    agent.pollOnce();

    assertThat(app.results.poll(1, TimeUnit.SECONDS).reason())
        .isEqualTo("the training run did not produce adapter/checkpoint.bin");
  }

  @Test
  void deliversTheAdapterWhenTheJobProducedNoEvaluation() throws Exception {
    app.storage.put("d", "x\n".getBytes(StandardCharsets.UTF_8));
    Map<String, String> outputs = new HashMap<>(adapterOutputs());
    outputs.put("evaluation/summary.json", app.fileUrl("out/evaluation/summary.json"));
    app.leases.add(lease(Map.of("data/train.jsonl", app.fileUrl("d")), outputs));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class));
    agent.connect();

    agent.pollOnce();

    assertThat(app.results.poll(1, TimeUnit.SECONDS)).isEqualTo(JobResult.succeeded(1, 64));
    assertThat(app.storage.get("out/adapter_model.safetensors")).containsExactly(1, 2, 3, 4);
    assertThat(app.events())
        .extracting(JobEvent::message)
        .contains(
            "the job produced no evaluation/summary.json; the adapter is delivered without it");
  }

  @Test
  void failsTheJobWhenAnInputCannotBeDownloaded() throws Exception {
    app.leases.add(lease(Map.of("data/train.jsonl", app.fileUrl("gone")), Map.of()));
    NodeAgent agent = new NodeAgent(options(FakeApp.TOKEN, FakeTrainingJobMain.class));
    agent.connect();

    agent.pollOnce();

    assertThat(app.results.poll(1, TimeUnit.SECONDS).reason())
        .isEqualTo(
            "could not download input data/train.jsonl: download to train.jsonl failed: HTTP 404");
  }

  @Test
  void keepsPollingThroughAppErrorsAndFailedJobsAndCancelsOnRequest() throws Exception {
    new NodeAgent(options(FakeApp.TOKEN, SlowTrainingJobMain.class)).connect();
    app.leaseFailures.add(503);
    Lease slow = lease(Map.of(), Map.of());
    app.leases.add(slow);
    NodeAgent agent = new NodeAgent(options(null, SlowTrainingJobMain.class));
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    agent.run();
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                });
    try {
      waitUntil(() -> !app.events().isEmpty());
      assertThat(app.heartbeats)
          .anySatisfy(
              beat -> {
                assertThat(beat.state()).isEqualTo("busy");
                assertThat(beat.currentJobId()).isEqualTo(slow.jobId());
              });
      app.cancel.set(true);

      JobResult result = app.results.poll(20, TimeUnit.SECONDS);
      assertThat(result).isEqualTo(JobResult.failed("cancelled by user", 3, 300));
      app.cancel.set(false);
      int callsAfterJob = app.leaseCalls.get();
      waitUntil(() -> app.leaseCalls.get() > callsAfterJob + 1);
      waitUntil(() -> app.heartbeats.getLast().state().equals("idle"));
      assertThat(failure.get()).isNull();
    } finally {
      agent.stop();
      loop.interrupt();
      loop.join(10_000);
    }
  }

  @Test
  void aNodeWithTwoGpusRunsTwoJobsAtOnceOnePerGpu() throws Exception {
    NodeOptions twoGpus =
        options(FakeApp.TOKEN, SlowTrainingJobMain.class)
            .withSimulatedGpus(NodeOptions.simulatedGpus("2x16GiB"));
    Lease first = lease(Map.of(), Map.of());
    Lease second = lease(Map.of(), Map.of());
    app.leases.add(first);
    app.leases.add(second);
    NodeAgent agent = new NodeAgent(twoGpus);
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
      waitUntil(
          () ->
              app.heartbeats.stream()
                  .anyMatch(
                      beat ->
                          beat.gpus().size() == 2
                              && beat.gpus().stream().allMatch(gpu -> gpu.jobId() != null)));
      assertThat(app.enrolments.getLast().resources().gpus())
          .extracting(dev.tuneforge.protocol.Gpu::name)
          .containsExactly("Simulated GPU 0 (for tests)", "Simulated GPU 1 (for tests)");
      var bothBusy =
          app.heartbeats.stream()
              .filter(beat -> beat.gpus().stream().allMatch(gpu -> gpu.jobId() != null))
              .filter(beat -> beat.gpus().size() == 2)
              .findFirst()
              .orElseThrow();
      assertThat(bothBusy.gpus())
          .extracting(dev.tuneforge.protocol.Gpu::jobId)
          .containsExactlyInAnyOrder(first.jobId(), second.jobId());
      assertThat(bothBusy.gpus()).allSatisfy(gpu -> assertThat(gpu.freeMemoryBytes()).isZero());
      // each running job's lease is renewed by a heartbeat of its own
      waitUntil(
          () ->
              app.heartbeats.stream().anyMatch(b -> first.jobId().equals(b.currentJobId()))
                  && app.heartbeats.stream()
                      .anyMatch(b -> second.jobId().equals(b.currentJobId())));
    } finally {
      agent.stop();
      loop.interrupt();
      loop.join(20_000);
    }
  }

  @Test
  void stopsAJobAtACheckpointWhenTheAppAsksAndALaterLeaseResumesItExactly() throws Exception {
    Map<String, String> inputs = demoJobInputs();
    String budget = "the tenant's monthly budget of 50.00 is spent (50.12 this month)";
    new NodeAgent(options(FakeApp.TOKEN, TrainingJobMain.class)).connect();
    NodeAgent agent = new NodeAgent(options(null, TrainingJobMain.class));
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    agent.run();
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                });
    try {
      UUID jobId = UUID.randomUUID();
      app.stop.set(budget);
      app.leases.add(demoLease(jobId, inputs));
      JobResult stopped = app.results.poll(120, TimeUnit.SECONDS);

      assertThat(stopped).as("result of the stopped run").isNotNull();
      assertThat(stopped.status()).as(stopped.reason()).isEqualTo(JobResult.Status.STOPPED);
      assertThat(stopped.reason()).isEqualTo(budget);
      int step = stopped.steps();
      assertThat(step).as("stopped before its last step").isBetween(1, 5);
      assertThat(app.jobCalls).containsExactly("checkpoint " + step, "complete " + step, "result");
      for (String file : JobFolder.LORA_CHECKPOINT_FILES) {
        assertThat(app.storage).containsKey("checkpoints/step-" + step + "/" + file);
      }
      assertThat(app.storage)
          .doesNotContainKeys("out/adapter_model.safetensors", "out/evaluation/summary.json");
      assertThat(app.events())
          .extracting(JobEvent::message)
          .anyMatch(m -> m != null && m.startsWith("stopped after step " + step));

      app.stop.set(null);
      app.jobCalls.clear();
      int before = app.events().size();
      Map<String, String> withCheckpoint = new HashMap<>(inputs);
      JobFolder.LORA_CHECKPOINT_FILES.forEach(
          file ->
              withCheckpoint.put(
                  JobFolder.RESUME + file, app.fileUrl(JobFolder.checkpoint(step) + file)));
      app.leases.add(demoLease(jobId, withCheckpoint));
      JobResult resumed = app.results.poll(120, TimeUnit.SECONDS);
      List<JobEvent> resumedEvents = app.events().subList(before, app.events().size());

      assertThat(resumed).as("result of the resumed run").isNotNull();
      assertThat(resumed.status()).as(resumed.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
      assertThat(resumed.steps()).isEqualTo(6);
      assertThat(resumedEvents).extracting(JobEvent::message).contains("resumed from step " + step);
      assertThat(app.storage).containsKey("out/adapter_model.safetensors");
      EvaluationSummary evaluation =
          Json.MAPPER.readValue(
              app.storage.get("out/evaluation/summary.json"), EvaluationSummary.class);
      assertThat(evaluation.error()).isNull();
      assertThat(evaluation.examples()).isEqualTo(2);
      assertThat(
              new String(
                      app.storage.get("out/evaluation/generations.jsonl"), StandardCharsets.UTF_8)
                  .lines()
                  .map(line -> Json.MAPPER.readValue(line, EvaluationExample.class)))
          .extracting(EvaluationExample::expected)
          .containsExactly("{\"total\": \"70.50\"}", "{\"total\": \"80.50\"}");

      before = app.events().size();
      app.leases.add(demoLease(UUID.randomUUID(), inputs));
      JobResult straight = app.results.poll(120, TimeUnit.SECONDS);
      List<JobEvent> straightEvents = app.events().subList(before, app.events().size());

      assertThat(straight.status()).as(straight.reason()).isEqualTo(JobResult.Status.SUCCEEDED);
      assertThat(straight.trainedTokens()).isEqualTo(resumed.trainedTokens());
      List<JobEvent> expected = metrics(straightEvents).subList(step, 6);
      List<JobEvent> actual = metrics(resumedEvents);
      assertThat(actual)
          .extracting(JobEvent::step)
          .containsExactlyElementsOf(expected.stream().map(JobEvent::step).toList());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i).loss())
            .as("loss of step %d", expected.get(i).step())
            .isCloseTo(expected.get(i).loss(), within(1e-5));
      }
      assertThat(failure.get()).isNull();
    } finally {
      agent.stop();
      loop.interrupt();
      loop.join(10_000);
    }
  }

  /**
   * The demo model, six receipt-like examples and two to evaluate on in the fake storage, as a
   * lease's inputs.
   */
  private Map<String, String> demoJobInputs() throws Exception {
    Path model = workDir.resolve("source-model");
    DemoModelWriter.builder()
        .optSeed(3)
        .optHiddenSize(32)
        .optIntermediateSize(64)
        .build()
        .writeTo(model);
    Map<String, String> inputs = new HashMap<>();
    try (var files = Files.list(model)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        app.storage.put("models/demo/" + name, Files.readAllBytes(file));
        inputs.put("model/" + name, app.fileUrl("models/demo/" + name));
      }
    }
    StringBuilder data = new StringBuilder();
    for (int n = 1; n <= 8; n++) {
      data.append("{\"messages\":[{\"role\":\"user\",\"content\":\"SHOP ")
          .append(n)
          .append(" TOTAL RM ")
          .append(n * 10)
          .append(".50\"},{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\"")
          .append(n * 10)
          .append(".50\\\"}\"}]}\n");
    }
    List<String> lines = data.toString().lines().toList();
    app.storage.put(
        "datasets/train.jsonl",
        (String.join("\n", lines.subList(0, 6)) + "\n").getBytes(StandardCharsets.UTF_8));
    app.storage.put(
        "datasets/evaluation.jsonl",
        (String.join("\n", lines.subList(6, 8)) + "\n").getBytes(StandardCharsets.UTF_8));
    inputs.put("data/train.jsonl", app.fileUrl("datasets/train.jsonl"));
    inputs.put("data/evaluation.jsonl", app.fileUrl("datasets/evaluation.jsonl"));
    return inputs;
  }

  private Lease demoLease(UUID jobId, Map<String, String> inputs) {
    TrainingSpec spec =
        new TrainingSpec(
            jobId.toString(),
            "tuneforge/demo",
            new LoraSettings(4, 8, 0.05, List.of("q_proj", "v_proj")),
            new Hyperparameters(2, 1e-3, 2, 256, 7, 6),
            TrainingOptions.builder()
                .optCheckpointEvery(50)
                .optEvaluationExamples(2)
                .optEvaluationMaxNewTokens(8)
                .optSamplesPerValidation(0)
                .build());
    Map<String, String> outputs = new HashMap<>(adapterOutputs());
    outputs.put("evaluation/summary.json", app.fileUrl("out/evaluation/summary.json"));
    outputs.put("evaluation/generations.jsonl", app.fileUrl("out/evaluation/generations.jsonl"));
    return new Lease(
        UUID.randomUUID(), jobId, Instant.now().plusSeconds(600), spec, inputs, outputs);
  }

  private static List<JobEvent> metrics(List<JobEvent> events) {
    return events.stream().filter(e -> e.type() == JobEvent.Type.METRIC).toList();
  }

  private void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private NodeOptions options(@Nullable String token, Class<?> childMain) {
    return new NodeOptions(
        app.uri(),
        workDir,
        token,
        "test-node",
        Duration.ofMillis(200),
        "cpu",
        "256m",
        childMain.getName(),
        Duration.ofSeconds(5));
  }

  static Lease lease(Map<String, String> inputs, Map<String, String> outputs) {
    UUID jobId = UUID.randomUUID();
    TrainingSpec spec =
        new TrainingSpec(
            jobId.toString(),
            "tiny-llama",
            new LoraSettings(8, 16, 0.05, List.of("q_proj", "v_proj")),
            new Hyperparameters(1, 1e-4, 1, 64, 42, 1),
            null);
    return new Lease(
        UUID.randomUUID(), jobId, Instant.now().plusSeconds(600), spec, inputs, outputs);
  }
}
