package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.finetuning.jobs.FineTuningJob;
import com.openai.models.finetuning.jobs.FineTuningJobEvent;
import com.openai.models.finetuning.jobs.JobCreateParams;
import com.openai.models.finetuning.jobs.checkpoints.FineTuningJobCheckpoint;
import com.openai.models.finetuning.methods.SupervisedHyperparameters;
import com.openai.models.finetuning.methods.SupervisedMethod;
import com.openai.models.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The official OpenAI Java client, given only the platform's {@code /v1} and a key, drives
 * fine-tuning on the real platform with its real training node as its users write it: upload the
 * SROIE file, create a job and follow its events to success, list its checkpoints, cancel a second
 * job, pause and resume a third, list the models. A key of another tenant gets 404 for each of
 * those objects; a wrong or revoked key 401; a malformed file, an unknown model and a bad
 * hyperparameter 400, storing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class OpenAiJavaClientIT {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

  private OpenAiPlatform platform;
  private OpenAiPlatform.Member alice;
  private OpenAIClient client;

  @BeforeAll
  void start() throws IOException {
    platform = OpenAiPlatform.start("openai-java");
    alice = platform.tenantWithMember("acme-" + PlatformTestSupport.suffix());
    client = client(alice.key());
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(platform.v1()).apiKey(key).maxRetries(0).build();
  }

  @Test
  void theClientUploadsTrainsFollowsCancelsPausesResumesAndListsModels() {
    FileObject file =
        client
            .files()
            .create(
                FileCreateParams.builder()
                    .file(PlatformTestSupport.sroieTrainingFile())
                    .purpose(FilePurpose.FINE_TUNE)
                    .build());
    assertThat(file.id()).startsWith("file-");
    assertThat(file.status()).isEqualTo(FileObject.Status.PROCESSED);
    assertThat(file.filename()).isEqualTo("train.jsonl");
    assertThat(client.files().retrieve(file.id()).bytes()).isPositive();

    FineTuningJob created =
        client
            .fineTuning()
            .jobs()
            .create(
                JobCreateParams.builder()
                    .model(DemoModel.NAME)
                    .trainingFile(file.id())
                    .suffix("receipts")
                    .seed(7)
                    .method(
                        JobCreateParams.Method.builder()
                            .type(JobCreateParams.Method.Type.SUPERVISED)
                            .supervised(
                                SupervisedMethod.builder()
                                    .hyperparameters(tiny(6, 3).build())
                                    .build())
                            .build())
                    .build());
    assertThat(created.status())
        .isIn(FineTuningJob.Status.VALIDATING_FILES, FineTuningJob.Status.QUEUED);
    assertThat(created.model()).isEqualTo(DemoModel.NAME);
    assertThat(created.seed()).isEqualTo(7);

    FineTuningJob done = await(created.id(), "success", job -> finished(job));
    assertThat(done.status())
        .as(events(done.id()).toString())
        .isEqualTo(FineTuningJob.Status.SUCCEEDED);
    assertThat(done.fineTunedModel())
        .hasValue(
            "ft:" + DemoModel.NAME + ":" + alice.tenant() + ":receipts:" + done.id().substring(6));
    assertThat(done.trainedTokens()).hasValueSatisfying(tokens -> assertThat(tokens).isPositive());

    List<FineTuningJobEvent> events = events(done.id());
    assertThat(events)
        .extracting(FineTuningJobEvent::message)
        .anyMatch(m -> m.startsWith("Succeeded after"));
    assertThat(events)
        .filteredOn(e -> e.type().map(t -> t.asString().equals("metrics")).orElse(false))
        .isNotEmpty();
    assertThat(events.getFirst().message()).as("newest first").isNotEmpty();

    List<FineTuningJobCheckpoint> checkpoints = new ArrayList<>();
    client.fineTuning().jobs().checkpoints().list(done.id()).autoPager().forEach(checkpoints::add);
    assertThat(checkpoints).extracting(FineTuningJobCheckpoint::stepNumber).contains(3L);
    assertThat(checkpoints.getFirst().metrics().trainLoss()).isPresent();

    FineTuningJob second = client.fineTuning().jobs().create(tinyJob(file.id(), 200, 50).build());
    FineTuningJob cancelled = client.fineTuning().jobs().cancel(second.id());
    assertThat(await(cancelled.id(), "cancelled", this::finished).status())
        .isEqualTo(FineTuningJob.Status.CANCELLED);

    FineTuningJob third = client.fineTuning().jobs().create(tinyJob(file.id(), 40, 5).build());
    await(
        third.id(),
        "running",
        job -> job.status().equals(FineTuningJob.Status.RUNNING) || finished(job));
    client.fineTuning().jobs().pause(third.id());
    FineTuningJob paused =
        await(
            third.id(), "paused", job -> job.status().asString().equals("paused") || finished(job));
    assertThat(paused.status().asString()).as(events(third.id()).toString()).isEqualTo("paused");
    FineTuningJob resumed = client.fineTuning().jobs().resume(third.id());
    assertThat(resumed.status()).isIn(FineTuningJob.Status.QUEUED, FineTuningJob.Status.RUNNING);
    assertThat(await(third.id(), "success after resuming", this::finished).status())
        .isEqualTo(FineTuningJob.Status.SUCCEEDED);

    List<String> models = new ArrayList<>();
    client.models().list().autoPager().forEach(m -> models.add(m.id()));
    assertThat(models).contains(DemoModel.NAME, done.fineTunedModel().orElseThrow());
    Model tuned = client.models().retrieve(done.fineTunedModel().orElseThrow());
    assertThat(tuned.ownedBy()).isEqualTo(alice.tenant());

    anotherTenantSeesNoneOf(file.id(), done);
  }

  /**
   * Every object of Alice's tenant answers 404 to Bob's key, over every endpoint that names one.
   */
  private void anotherTenantSeesNoneOf(String fileId, FineTuningJob job) {
    OpenAIClient bob =
        client(platform.tenantWithMember("globex-" + PlatformTestSupport.suffix()).key());
    List<ThrowingCallable> calls =
        List.of(
            () -> bob.files().retrieve(fileId),
            () -> bob.files().content(fileId).body().readAllBytes(),
            () -> bob.files().delete(fileId),
            () -> bob.fineTuning().jobs().retrieve(job.id()),
            () -> bob.fineTuning().jobs().cancel(job.id()),
            () -> bob.fineTuning().jobs().pause(job.id()),
            () -> bob.fineTuning().jobs().resume(job.id()),
            () -> bob.fineTuning().jobs().listEvents(job.id()),
            () -> bob.fineTuning().jobs().checkpoints().list(job.id()),
            () -> bob.models().retrieve(job.fineTunedModel().orElseThrow()));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(NotFoundException.class);
    }
    assertThat(bob.files().list().data()).isEmpty();
    assertThat(bob.fineTuning().jobs().list().data()).isEmpty();
    List<String> models = new ArrayList<>();
    bob.models().list().autoPager().forEach(m -> models.add(m.id()));
    assertThat(models).contains(DemoModel.NAME).doesNotContain(job.fineTunedModel().orElseThrow());
    assertThat(client.files().retrieve(fileId).id()).as("still there for Alice").isEqualTo(fileId);
  }

  @Test
  void wrongKeysAndBadRequestsAnswerOpenAisErrorsAndStoreNothing() throws IOException {
    assertThatThrownBy(() -> client("tf_" + "x".repeat(43)).models().list())
        .isInstanceOf(UnauthorizedException.class);
    OpenAiPlatform.Member revoked = platform.newKey(alice.tenant(), alice.username());
    assertThat(client(revoked.key()).fineTuning().jobs().list().data()).isNotNull();
    platform.revoke(revoked);
    assertThatThrownBy(() -> client(revoked.key()).fineTuning().jobs().list())
        .isInstanceOf(UnauthorizedException.class);

    int files = client.files().list().data().size();
    int jobs = client.fineTuning().jobs().list().data().size();
    Path broken = Files.createTempFile("broken-", ".jsonl");
    Files.writeString(
        broken,
        """
        {"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}
        {"messages":[{"role":"user","content":"no answer"}
        """);
    assertThatThrownBy(
            () ->
                client
                    .files()
                    .create(
                        FileCreateParams.builder()
                            .file(broken)
                            .purpose(FilePurpose.FINE_TUNE)
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("line 2"));
    assertThat(client.files().list().data()).hasSize(files);

    FileObject file =
        client
            .files()
            .create(
                FileCreateParams.builder()
                    .file(PlatformTestSupport.sroieTrainingFile())
                    .purpose(FilePurpose.FINE_TUNE)
                    .build());
    assertBadRequest(
        () ->
            client
                .fineTuning()
                .jobs()
                .create(tinyJob(file.id(), 6, 3).model("gpt-4o-mini").build()),
        "model");
    assertBadRequest(
        () ->
            client
                .fineTuning()
                .jobs()
                .create(
                    tinyJob(file.id(), 6, 3)
                        .hyperparameters(
                            JobCreateParams.Hyperparameters.builder().nEpochs(0).build())
                        .build()),
        "hyperparameters.n_epochs");
    assertThat(client.fineTuning().jobs().list().data()).hasSize(jobs);
    Files.delete(broken);
  }

  private static void assertBadRequest(ThrowingCallable call, String param) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.param()).hasValue(param);
              assertThat(e.type()).hasValue("invalid_request_error");
            });
  }

  /** A few steps of the demo model, with a checkpoint every {@code checkpointEvery}. */
  private static SupervisedHyperparameters.Builder tiny(int steps, int checkpointEvery) {
    return SupervisedHyperparameters.builder()
        .nEpochs(1)
        .batchSize(2)
        .putAllAdditionalProperties(extensions(steps, checkpointEvery));
  }

  /** The same as OpenAI's older top-level hyperparameters. */
  private static JobCreateParams.Builder tinyJob(String fileId, int steps, int checkpointEvery) {
    return JobCreateParams.builder()
        .model(DemoModel.NAME)
        .trainingFile(fileId)
        .hyperparameters(
            JobCreateParams.Hyperparameters.builder()
                .nEpochs(1)
                .batchSize(2)
                .putAllAdditionalProperties(extensions(steps, checkpointEvery))
                .build());
  }

  /** Tuneforge's extensions among the hyperparameters, as a client sends them. */
  private static Map<String, JsonValue> extensions(int steps, int checkpointEvery) {
    return Map.of(
        "max_steps", JsonValue.from(steps),
        "checkpoint_every", JsonValue.from(checkpointEvery),
        "max_sequence_length", JsonValue.from(1024),
        "evaluation_examples", JsonValue.from(0));
  }

  private boolean finished(FineTuningJob job) {
    return List.of(
            FineTuningJob.Status.SUCCEEDED,
            FineTuningJob.Status.FAILED,
            FineTuningJob.Status.CANCELLED)
        .contains(job.status());
  }

  private List<FineTuningJobEvent> events(String jobId) {
    List<FineTuningJobEvent> events = new ArrayList<>();
    client.fineTuning().jobs().listEvents(jobId).autoPager().forEach(events::add);
    return events;
  }

  /** Polls the job as a client does until {@code condition} holds. */
  private FineTuningJob await(String jobId, String what, Predicate<FineTuningJob> condition) {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    FineTuningJob job;
    do {
      job = client.fineTuning().jobs().retrieve(jobId);
      if (condition.test(job)) {
        return job;
      }
      if (!platform.platform.nodeAlive()) {
        fail(
            "The training node died:\n"
                + PlatformTestSupport.tail(platform.dataDir.resolve("logs/node.log"), 60));
      }
      Ports.sleep(Duration.ofMillis(300));
    } while (System.nanoTime() < deadline);
    return fail(
        "Waited for the job to be "
            + what
            + "; it is "
            + job.status().asString()
            + "\n"
            + events(jobId)
            + "\nNode log:\n"
            + PlatformTestSupport.tail(platform.dataDir.resolve("logs/node.log"), 60));
  }
}
