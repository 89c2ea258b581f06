package dev.tuneforge.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example bodies in docs/node-protocol.md (kept here as files) read into the records both sides
 * use, with Jackson's defaults as the app and the node configure it.
 */
class ProtocolExamplesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static <T> T read(String name, Class<T> type) throws IOException {
    try (InputStream in = ProtocolExamplesTest.class.getResourceAsStream("/examples/" + name)) {
      return JSON.readValue(in, type);
    }
  }

  @Test
  void enrolment() throws IOException {
    EnrolRequest request = read("enrol-request.json", EnrolRequest.class);
    assertThat(request.resources().device()).isEqualTo("cuda");
    assertThat(request.resources().memoryBytes()).isEqualTo(85_899_345_920L);
    assertThat(request.protocolVersion()).isNull();
    assertThat(request.statedProtocolVersion()).isEqualTo(1);
    assertThat(read("enrol-response.json", EnrolResponse.class).credential()).startsWith("tfn_");
  }

  @Test
  void heartbeat() throws IOException {
    Heartbeat heartbeat = read("heartbeat.json", Heartbeat.class);
    assertThat(heartbeat.currentJobId())
        .isEqualTo(UUID.fromString("0b9b7f0e-5d0c-4a70-b1c4-4e1f3c2a9d77"));
    assertThat(read("heartbeat-reply.json", HeartbeatReply.class).cancelCurrentJob()).isFalse();
    assertThat(heartbeat.gpus()).isEmpty();
    assertThat(read("enrol-request.json", EnrolRequest.class).resources().gpus()).isEmpty();
  }

  @Test
  void heartbeatOfATwoGpuNodeSaysWhichJobEachRuns() throws IOException {
    Heartbeat heartbeat = read("heartbeat-gpus.json", Heartbeat.class);
    assertThat(heartbeat.gpus()).extracting(Gpu::index).containsExactly(0, 1);
    assertThat(heartbeat.gpus().getFirst().jobId()).isEqualTo(heartbeat.currentJobId());
    assertThat(heartbeat.gpus().get(1).jobId()).isNull();
    assertThat(heartbeat.gpus().get(1).freeMemoryBytes()).isEqualTo(84_934_967_296L);
    assertThat(heartbeat.gpus().getFirst().driverVersion()).isEqualTo("550.54.15");
    assertThat(new NodeResources("cuda", "x", 1, 1, heartbeat.gpus()).jobSlots()).isEqualTo(2);
    assertThat(new NodeResources("cpu", "x", 1, 1).jobSlots()).isEqualTo(1);
  }

  @Test
  void leaseCarriesTheSpecAndPresignedUrls() throws IOException {
    Lease lease = read("lease.json", Lease.class);
    assertThat(lease.spec().lora().targetModules()).containsExactly("q_proj", "v_proj");
    assertThat(lease.spec().hyperparameters().maxSequenceLength()).isEqualTo(512);
    assertThat(lease.inputs())
        .containsKeys(
            JobFolder.TRAINING_DATA,
            JobFolder.BASE_MODEL + "config.json",
            JobFolder.BASE_MODEL + "tokenizer.json");
    assertThat(lease.outputs())
        .containsOnlyKeys(
            JobFolder.ADAPTER_FILES.stream().map(file -> JobFolder.ADAPTER + file).toList());
    assertThat(JobFolder.ADAPTER + JobFolder.ADAPTER_CONFIG)
        .isEqualTo("adapter/adapter_config.json");
    assertThat(lease.spec().options()).isNull();
    assertThat(lease.spec().resolvedOptions()).isEqualTo(TrainingOptions.DEFAULTS);
  }

  @Test
  void trainingOptionsFillInDefaultsAndRoundTrip() throws IOException {
    TrainingSpec spec =
        JSON.readValue(
            "{\"jobId\":\"j\",\"baseModel\":\"m\",\"lora\":{\"r\":8,\"alpha\":16,\"dropout\":0.05,\"targetModules\":[\"q_proj\"]},"
                + "\"hyperparameters\":{\"epochs\":1,\"learningRate\":2e-4,\"batchSize\":4,\"maxSequenceLength\":512,\"seed\":42,\"maxSteps\":0},"
                + "\"options\":{\"schedule\":\"cosine\",\"gradientAccumulation\":4}}",
            TrainingSpec.class);
    TrainingOptions resolved = spec.resolvedOptions();
    assertThat(resolved.schedule()).isEqualTo("cosine");
    assertThat(resolved.gradientAccumulation()).isEqualTo(4);
    assertThat(resolved.checkpointEvery()).isEqualTo(50);
    assertThat(resolved.warmupRatio()).isEqualTo(0.1);
    String written = JSON.writeValueAsString(spec);
    assertThat(written).doesNotContain("resolvedOptions");
    assertThat(JSON.readValue(written, TrainingSpec.class)).isEqualTo(spec);
  }

  @Test
  void rsLoraAndPackingAreOffWhenMissingAndRoundTrip() throws IOException {
    TrainingSpec old =
        JSON.readValue(
            "{\"jobId\":\"j\",\"baseModel\":\"m\",\"lora\":{\"r\":16,\"alpha\":32,\"dropout\":0,\"targetModules\":[\"q_proj\"]},"
                + "\"hyperparameters\":{\"epochs\":1,\"learningRate\":2e-4,\"batchSize\":4,\"maxSequenceLength\":512,\"seed\":42,\"maxSteps\":0},"
                + "\"options\":{\"schedule\":\"cosine\"}}",
            TrainingSpec.class);
    assertThat(old.lora().rslora()).isFalse();
    assertThat(old.lora().scale()).isEqualTo(2.0);
    assertThat(old.resolvedOptions().packing()).isFalse();

    TrainingSpec spec =
        new TrainingSpec(
            "j",
            "m",
            new LoraSettings(16, 32, 0, List.of("q_proj"), true),
            old.hyperparameters(),
            TrainingOptions.builder().optPacking(true).build());
    String written = JSON.writeValueAsString(spec);
    assertThat(written).contains("\"useRslora\":true", "\"packing\":true").doesNotContain("scale");
    TrainingSpec read = JSON.readValue(written, TrainingSpec.class);
    assertThat(read).isEqualTo(spec);
    assertThat(read.lora().scale()).isEqualTo(8.0);
    assertThat(read.resolvedOptions().packing()).isTrue();
  }

  @Test
  void eventsAndResultsRoundTrip() throws IOException {
    JobEventBatch batch = read("events.json", JobEventBatch.class);
    assertThat(batch.events())
        .extracting(JobEvent::type)
        .containsExactly(JobEvent.Type.LOG, JobEvent.Type.METRIC);
    assertThat(JSON.writeValueAsString(batch)).contains("\"type\":\"log\"", "\"type\":\"metric\"");
    assertThat(batch.events().get(1).loss()).isEqualTo(5.7712);
    assertThat(JSON.readValue(JSON.writeValueAsString(batch), JobEventBatch.class))
        .isEqualTo(batch);
    assertThat(read("result-failed.json", JobResult.class).reason()).contains("NaN");
    assertThat(read("result-succeeded.json", JobResult.class))
        .isEqualTo(JobResult.succeeded(113, 211_536));
    assertThat(JSON.writeValueAsString(JobResult.succeeded(1, 2)))
        .contains("\"status\":\"succeeded\"");
    assertThat(JSON.writeValueAsString(JobResult.stopped("budget", 1, 2)))
        .contains("\"status\":\"stopped\"");
  }

  @Test
  void stopAtCheckpointAndItsResult() throws IOException {
    HeartbeatReply reply = read("heartbeat-reply-stop.json", HeartbeatReply.class);
    assertThat(reply.cancelCurrentJob()).isFalse();
    assertThat(reply.stopCurrentJob()).contains("budget");
    assertThat(read("heartbeat-reply.json", HeartbeatReply.class).stopCurrentJob()).isNull();
    JobResult stopped = read("result-stopped.json", JobResult.class);
    assertThat(stopped).isEqualTo(JobResult.stopped(reply.stopCurrentJob(), 40, 81_920));
  }

  @Test
  void evaluationFilesReadIntoTheirRecords() throws IOException {
    EvaluationSummary summary = read("evaluation-summary.json", EvaluationSummary.class);
    assertThat(summary.tuned().loss()).isLessThan(summary.base().loss());
    assertThat(summary.error()).isNull();
    String line;
    try (InputStream in =
        ProtocolExamplesTest.class.getResourceAsStream("/examples/evaluation-generations.jsonl")) {
      line = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
    EvaluationExample example = JSON.readValue(line, EvaluationExample.class);
    assertThat(example.prompt()).extracting(PromptMessage::role).containsExactly("system", "user");
    assertThat(example.expected()).startsWith("{\"company\"");
    assertThat(example.tunedStop()).isEqualTo("eos");
    assertThat(JSON.readValue(JSON.writeValueAsString(example), EvaluationExample.class))
        .isEqualTo(example);
    assertThat(example.tunedFirstTokenSeconds()).isEqualTo(0.041);
    assertThat(example.tunedTokensPerSecond()).isEqualTo(58.2);
    assertThat(summary.device()).isEqualTo("cpu");
    try (InputStream in =
        ProtocolExamplesTest.class.getResourceAsStream("/examples/evaluation-retention.jsonl")) {
      line = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    }
    RetentionExample retention = JSON.readValue(line, RetentionExample.class);
    assertThat(retention.expected()).isEqualTo("12");
    assertThat(retention.tunedLoss()).isGreaterThan(retention.baseLoss());
    assertThat(retention.answerTokens()).isEqualTo(2);
  }

  @Test
  void evaluationOptionsDefaultAndTheBuilderKeepsWhatItSets() {
    TrainingOptions resolved =
        TrainingOptions.builder().optCheckpointEvery(5).build().withDefaults();
    assertThat(resolved.evaluationExamples()).isEqualTo(100);
    assertThat(resolved.evaluationMaxNewTokens()).isEqualTo(256);
    assertThat(resolved.samplesPerValidation()).isEqualTo(1);
    assertThat(resolved.fieldF1Examples()).isEqualTo(16);
    assertThat(resolved.earlyStoppingMetric()).isEqualTo(TrainingOptions.VALIDATION_LOSS);
    assertThat(resolved.stopsOnFieldF1()).isFalse();
    assertThat(resolved.retention()).isNull();
    assertThat(resolved.checkpointEvery()).isEqualTo(5);
  }

  @Test
  void jobPathsAreFilledIn() {
    assertThat(NodeApi.forJob(NodeApi.EVENTS, "abc")).isEqualTo("/api/node/v1/jobs/abc/events");
    assertThat(NodeApi.forCheckpoint(NodeApi.CHECKPOINT, "abc", 40))
        .isEqualTo("/api/node/v1/jobs/abc/checkpoints/40");
    assertThat(NodeApi.forCheckpoint(NodeApi.CHECKPOINT_COMPLETE, "abc", 40))
        .isEqualTo("/api/node/v1/jobs/abc/checkpoints/40/complete");
  }

  @Test
  void checkpointUploadAsksForTheFourFilesAndGetsAUrlForEach() throws IOException {
    CheckpointUpload upload = read("checkpoint-upload.json", CheckpointUpload.class);
    assertThat(upload.files()).containsExactlyElementsOf(JobFolder.LORA_CHECKPOINT_FILES);
    CheckpointUrls urls = read("checkpoint-urls.json", CheckpointUrls.class);
    assertThat(urls.urls()).containsOnlyKeys(JobFolder.LORA_CHECKPOINT_FILES);
    assertThat(urls.urls().get("trainer_state.json"))
        .contains("/checkpoints/step-40/trainer_state.json");
    assertThat(JSON.readValue(JSON.writeValueAsString(urls), CheckpointUrls.class)).isEqualTo(urls);
  }

  @Test
  void aResumedLeaseCarriesTheCheckpointAsInputsAndItsOptions() throws IOException {
    Lease lease = read("lease-resume.json", Lease.class);
    assertThat(lease.inputs().keySet())
        .filteredOn(path -> path.startsWith(JobFolder.RESUME))
        .containsExactlyInAnyOrderElementsOf(
            JobFolder.LORA_CHECKPOINT_FILES.stream().map(f -> JobFolder.RESUME + f).toList());
    assertThat(lease.spec().resolvedOptions().checkpointEvery()).isEqualTo(20);
    assertThat(lease.spec().resolvedOptions().schedule()).isEqualTo("linear");
    assertThat(lease.spec().resolvedOptions().evaluationMaxNewTokens()).isEqualTo(64);
  }

  @Test
  void aFullFineTuningLeaseNamesItsMethodAndAsksForAModel() throws IOException {
    Lease lease = read("lease-full.json", Lease.class);
    assertThat(lease.spec().method()).isEqualTo(TrainingSpec.FULL);
    assertThat(lease.spec().fullFineTuning()).isTrue();
    assertThat(lease.outputs())
        .containsKeys(
            JobFolder.TUNED_MODEL + JobFolder.MODEL_WEIGHTS, JobFolder.TUNED_MODEL + "config.json");
    assertThat(JobFolder.checkpointFiles(lease.spec().fullFineTuning()))
        .contains(JobFolder.MODEL_WEIGHTS)
        .doesNotContain(JobFolder.ADAPTER_CONFIG);
    assertThat(JSON.readValue(JSON.writeValueAsString(lease.spec()), TrainingSpec.class))
        .isEqualTo(lease.spec());
    Lease lora = read("lease.json", Lease.class);
    assertThat(lora.spec().method()).isNull();
    assertThat(lora.spec().fullFineTuning()).isFalse();
    assertThat(JobFolder.checkpointFiles(lora.spec().fullFineTuning()))
        .isEqualTo(JobFolder.LORA_CHECKPOINT_FILES);
  }

  @Test
  void anUnknownMethodIsRefusedByName() {
    String json =
        "{\"jobId\":\"j\",\"baseModel\":\"m\",\"method\":\"dora\","
            + "\"lora\":{\"r\":8,\"alpha\":16,\"dropout\":0,\"targetModules\":[\"q_proj\"]},"
            + "\"hyperparameters\":{\"epochs\":1,\"learningRate\":2e-4,\"batchSize\":4,\"maxSequenceLength\":512,\"seed\":42,\"maxSteps\":0}}";
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JSON.readValue(json, TrainingSpec.class))
        .hasMessageContaining("dora")
        .hasMessageContaining("[lora, qlora, full, dpo]");
    TrainingSpec qlora = JSON.readValue(json.replace("dora", "qlora"), TrainingSpec.class);
    org.assertj.core.api.Assertions.assertThat(qlora.quantizedBase()).isTrue();
    org.assertj.core.api.Assertions.assertThat(qlora.fullFineTuning()).isFalse();
    TrainingSpec dpo =
        JSON.readValue(
            json.replace("dora", "dpo")
                .replace("\"lora\":", "\"preference\":{\"beta\":0.5,\"sftWeight\":0.2},\"lora\":"),
            TrainingSpec.class);
    org.assertj.core.api.Assertions.assertThat(dpo.preferencePairs()).isTrue();
    org.assertj.core.api.Assertions.assertThat(dpo.resolvedPreference())
        .isEqualTo(new PreferenceSettings(0.5, 0.2));
    org.assertj.core.api.Assertions.assertThat(
            JSON.readValue(json.replace("dora", "dpo"), TrainingSpec.class).resolvedPreference())
        .as("a DPO spec without settings takes the defaults")
        .isEqualTo(PreferenceSettings.DEFAULTS);
  }

  @Test
  void anUnknownEventTypeOrResultStatusIsRefusedByName() {
    String event = "{\"events\":[{\"type\":\"progress\",\"at\":\"2026-11-22T10:14:02.120Z\"}]}";
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JSON.readValue(event, JobEventBatch.class))
        .hasMessageContaining("unknown job event type \"progress\"")
        .hasMessageContaining("metric, validation, sample, evaluation, log");
    String result = "{\"status\":\"done\",\"steps\":1,\"trainedTokens\":2}";
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JSON.readValue(result, JobResult.class))
        .hasMessageContaining("unknown job result status \"done\"")
        .hasMessageContaining("succeeded, failed, stopped");
  }

  @Test
  void anEnrolmentStatesTheNodesProtocolVersion() throws IOException {
    EnrolRequest request = EnrolRequest.of("tfe_x", "n", new NodeResources("cpu", "cpu", 1, 1));
    String written = JSON.writeValueAsString(request);
    assertThat(written).contains("\"protocolVersion\":" + NodeApi.PROTOCOL_VERSION);
    assertThat(JSON.readValue(written, EnrolRequest.class).statedProtocolVersion())
        .isEqualTo(NodeApi.PROTOCOL_VERSION);
  }

  @Test
  void checkpointFoldersAreNamedByTheirStep() {
    assertThat(JobFolder.checkpoint(40)).isEqualTo("checkpoints/step-40/");
    assertThat(JobFolder.checkpointStep(JobFolder.checkpointName(40))).isEqualTo(40);
    assertThat(JobFolder.checkpointStep("step-")).isEqualTo(-1);
    assertThat(JobFolder.checkpointStep("step-4a")).isEqualTo(-1);
    assertThat(JobFolder.checkpointStep(".step-4.partial")).isEqualTo(-1);
    assertThat(JobFolder.isCheckpointFile(JobFolder.MODEL_WEIGHTS)).isTrue();
    assertThat(JobFolder.isCheckpointFile("config.json")).isFalse();
  }

  @Test
  void aServingNodePollsWithWhatItHasLoadedAndGetsRequestsWithPresignedFiles() throws IOException {
    GenerationPoll poll = read("generation-poll.json", GenerationPoll.class);
    assertThat(poll.loadedBaseModels()).containsExactly("models/demo-tiny/");
    assertThat(poll.capacity()).isEqualTo(8);
    List<GenerationRequest> requests;
    try (InputStream in =
        ProtocolExamplesTest.class.getResourceAsStream("/examples/generation-requests.json")) {
      requests = List.of(JSON.readValue(in, GenerationRequest[].class));
    }
    GenerationRequest chat = requests.getFirst();
    assertThat(chat.isChat()).isTrue();
    assertThat(chat.jsonOnly()).isTrue();
    assertThat(chat.baseModel().files()).containsKeys("config.json", "model.safetensors");
    assertThat(chat.adapter()).isNotNull();
    assertThat(chat.adapter().files()).containsOnlyKeys(JobFolder.ADAPTER_FILES);
    assertThat(chat.messages()).extracting(PromptMessage::role).containsExactly("system", "user");
    GenerationRequest completion = requests.get(1);
    assertThat(completion.isChat()).isFalse();
    assertThat(completion.adapter()).isNull();
    assertThat(completion.seed()).isEqualTo(42L);
    assertThat(completion.stop()).containsExactly("\n");
    assertThat(NodeApi.forGeneration(NodeApi.GENERATION_CHUNKS, completion.id()))
        .isEqualTo("/api/node/v1/generations/0c2e9d41-5a7b-4c3f-8e16-b9d0f4a27e58/chunks");
  }

  @Test
  void aGenerationsFilesSignedAgainKeepTheirCacheKeysAndNames() throws IOException {
    GenerationFiles files = read("generation-files.json", GenerationFiles.class);
    assertThat(files.baseModel().cacheKey()).isEqualTo("models/demo-tiny/");
    assertThat(files.baseModel().files()).containsKeys("config.json", "model.safetensors");
    assertThat(files.adapter()).as("the base model served alone").isNull();
    assertThat(
            NodeApi.forGeneration(NodeApi.GENERATION_FILES, "0c2e9d41-5a7b-4c3f-8e16-b9d0f4a27e58"))
        .isEqualTo("/api/node/v1/generations/0c2e9d41-5a7b-4c3f-8e16-b9d0f4a27e58/files");
  }

  @Test
  void chunksStreamTheAnswerAndTheLastCarriesUsage() throws IOException {
    GenerationChunk first = read("generation-chunk.json", GenerationChunk.class);
    assertThat(first.isLast()).isFalse();
    assertThat(first.usage()).isNull();
    GenerationChunk last = read("generation-chunk-last.json", GenerationChunk.class);
    assertThat(last.isLast()).isTrue();
    assertThat(last.finishReason()).isEqualTo(GenerationChunk.STOP);
    assertThat(last.usage()).isEqualTo(new GenerationChunk.Usage(231, 40));
    GenerationChunk error = read("generation-chunk-error.json", GenerationChunk.class);
    assertThat(error.isLast()).isTrue();
    assertThat(error.error()).contains("context");
    assertThat(JSON.readValue(JSON.writeValueAsString(last), GenerationChunk.class))
        .isEqualTo(last);
  }

  @Test
  void theServingPolicyIsOptionalInTheHeartbeatReply() throws IOException {
    assertThat(read("heartbeat-reply-serving.json", HeartbeatReply.class).servingPolicy())
        .isEqualTo(HeartbeatReply.SERVING_WHEN_IDLE);
    assertThat(read("heartbeat-reply.json", HeartbeatReply.class).servingPolicy()).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                JSON.readValue(
                    "{\"cancelCurrentJob\":false,\"servingPolicy\":\"sometimes\"}",
                    HeartbeatReply.class))
        .hasMessageContaining("off, when_idle or always");
  }

  @Test
  void aGenerationRequestIsRefusedWithoutExactlyOnePrompt() {
    String base = "{\"cacheKey\":\"models/m/\",\"files\":{}}";
    String neither =
        "{\"id\":\"0c2e9d41-5a7b-4c3f-8e16-b9d0f4a27e58\",\"baseModel\":"
            + base
            + ",\"maxTokens\":4,\"temperature\":0,\"topP\":1,\"jsonOnly\":false}";
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JSON.readValue(neither, GenerationRequest.class))
        .hasMessageContaining("either messages or a prompt");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ModelFiles("models/m/", java.util.Map.of("../x", "u")))
        .hasMessageContaining("without a path");
  }
}
