package dev.tuneforge.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.protocol.JobEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/** What the end-to-end tests share: acting as a user, unique names and the SROIE data. */
final class PlatformTestSupport {
  private PlatformTestSupport() {}

  static SignedInUser principal(ApplicationContext app, String username) {
    return (SignedInUser) app.getBean(AccountService.class).loadUserByUsername(username);
  }

  /** Runs {@code work} signed in as {@code user}, as a request of theirs would. */
  static <T> T as(SignedInUser user, Supplier<T> work) {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
    SecurityContextHolder.setContext(context);
    try {
      return work.get();
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  /** Waits until the token count of this version, model and length has finished. */
  static TokenLengths awaitTokenLengths(
      ApplicationContext app, SignedInUser user, UUID version, UUID model, int maxLength) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      TokenLengths found =
          as(user, () -> app.getBean(TokenLengthService.class).find(version, model, maxLength))
              .orElse(null);
      if (found != null && found.status().finished()) {
        return found;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(
        "the token count of " + version + " at " + maxLength + " did not finish in time");
  }

  /**
   * Waits until the job finishes, failing with its events and the node's log if it does not in
   * time.
   */
  static FineTuneJob awaitFinished(
      LocalPlatform platform, SignedInUser user, UUID jobId, Duration timeout, Path dataDir) {
    return await(
        platform,
        user,
        jobId,
        "the fine-tune to finish",
        job -> {
          if (!job.getStatus().finished() && !platform.nodeAlive()) {
            fail(
                "The training node died; its log ends with:\n"
                    + tail(dataDir.resolve("logs/node.log"), 60));
          }
          return job.getStatus().finished();
        },
        timeout,
        dataDir);
  }

  /**
   * Polls the job until {@code condition} holds, failing after {@code timeout} with what was
   * awaited, the job's events and the node's log.
   */
  static FineTuneJob await(
      LocalPlatform platform,
      SignedInUser user,
      UUID jobId,
      String what,
      Predicate<FineTuneJob> condition,
      Duration timeout,
      Path dataDir) {
    FineTuneService fineTunes = platform.context().getBean(FineTuneService.class);
    long deadline = System.nanoTime() + timeout.toNanos();
    FineTuneJob job;
    do {
      job = as(user, () -> fineTunes.find(jobId).orElseThrow());
      if (condition.test(job)) {
        return job;
      }
      Ports.sleep(Duration.ofMillis(250));
    } while (System.nanoTime() < deadline);
    FineTuneJob last = job;
    return fail(
        "Waited "
            + timeout.toMinutes()
            + " min for "
            + what
            + "; the job is "
            + last.getStatus()
            + " after "
            + last.getSteps()
            + " steps.\nEvents:\n"
            + eventLog(platform, user, jobId)
            + "\nNode log:\n"
            + tail(dataDir.resolve("logs/node.log"), 60));
  }

  static List<JobEventRecord> events(LocalPlatform platform, SignedInUser user, UUID jobId) {
    return as(user, () -> platform.context().getBean(FineTuneService.class).events(jobId));
  }

  /** The messages of the job's log events, in order. */
  static List<String> messages(LocalPlatform platform, SignedInUser user, UUID jobId) {
    return events(platform, user, jobId).stream()
        .map(JobEventRecord::getMessage)
        .filter(m -> m != null)
        .toList();
  }

  /** The last training step the job reported. */
  static int maxMetricStep(LocalPlatform platform, SignedInUser user, UUID jobId) {
    return events(platform, user, jobId).stream()
        .filter(e -> e.getType() == JobEvent.Type.METRIC && e.getStep() != null)
        .mapToInt(JobEventRecord::getStep)
        .max()
        .orElse(0);
  }

  /** The job's events, one line each, for failure messages. */
  static String eventLog(LocalPlatform platform, SignedInUser user, UUID jobId) {
    return String.join(
        "\n",
        events(platform, user, jobId).stream()
            .map(
                e ->
                    e.getType().wire()
                        + " "
                        + (e.getStep() == null ? "" : "step " + e.getStep() + " ")
                        + (e.getLoss() == null ? "" : "loss " + e.getLoss() + " ")
                        + (e.getMessage() == null ? "" : e.getMessage()))
            .toList());
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  /**
   * Stops the platform, then deletes its data folder when the test passed, or keeps it for a look
   * (logs, database) and says where.
   */
  static void closeAndClean(
      @org.jspecify.annotations.Nullable LocalPlatform platform,
      @org.jspecify.annotations.Nullable Path dataDir,
      boolean passed)
      throws IOException {
    if (platform != null) {
      platform.close();
    }
    if (!passed) {
      System.out.println("Kept the platform's data folder for a look: " + dataDir);
    } else if (dataDir != null) {
      try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** {@code shared/datasets/sroie/train.jsonl} in the nearest folder above this one that has it. */
  /** The OpenAI tool-calling fixture (three rows) that the app's ingest tests read too. */
  static Path toolCallFixture() {
    String fixture =
        "app/src/test/resources/dev/tuneforge/app/dataset/ingest/tools/openai-tools.jsonl";
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(fixture))) {
        return dir.resolve(fixture);
      }
    }
    return fail(
        "No " + fixture + " in " + Path.of("").toAbsolutePath() + " or any folder above it");
  }

  static Path sroieTrainingFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/datasets/sroie/train.jsonl");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return fail(
        "No shared/datasets/sroie/train.jsonl in "
            + Path.of("").toAbsolutePath()
            + " or any folder above it");
  }

  /**
   * The first {@code rows} receipts of the SROIE training file, uploaded by {@code user} as the
   * dataset "receipts".
   */
  static DatasetSummary uploadReceipts(
      ApplicationContext app, SignedInUser user, Path dataDir, int rows) throws IOException {
    return uploadReceipts(app, user, dataDir, rows, "receipts");
  }

  /**
   * The first {@code rows} receipts of the SROIE training file, written to {@code dir} and uploaded
   * by {@code user} as the dataset {@code datasetName}.
   */
  static DatasetSummary uploadReceipts(
      ApplicationContext app, SignedInUser user, Path dir, int rows, String datasetName)
      throws IOException {
    String name = datasetName + "-first-" + rows + ".jsonl";
    Path subset = dir.resolve(name);
    try (java.util.stream.Stream<String> lines = Files.lines(sroieTrainingFile())) {
      Files.write(subset, lines.limit(rows).toList());
    }
    return as(user, () -> app.getBean(DatasetService.class).upload(datasetName, name, subset));
  }

  /**
   * A job of the member's on the demo model and a dataset of 20 SROIE receipts written to {@code
   * dir}; with no node running it stays queued.
   */
  static FineTuneJob queuedJob(
      ApplicationContext app, SignedInUser member, Path dir, String datasetName)
      throws IOException {
    DatasetSummary dataset = uploadReceipts(app, member, dir, 20, datasetName);
    BaseModel demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow();
    FineTuneRequest request = FineTuneRequest.defaults(demo.getId(), dataset.versionId());
    return as(member, () -> app.getBean(FineTuneService.class).create(request));
  }

  /**
   * A short LoRA run of the demo model on {@code dataset}, {@code steps} steps with a checkpoint
   * every {@code checkpointEvery}: what the tests that stop, kill or pause its node train.
   */
  static FineTuneRequest.Builder checkpointedRun(
      ApplicationContext app, DatasetSummary dataset, int steps, int checkpointEvery) {
    BaseModel demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow();
    return FineTuneRequest.builder()
        .setBaseModel(demo.getId())
        .setDatasetVersion(dataset.versionId())
        .optLora(4, 8, 0.0)
        .optTargetModules(List.of("q_proj", "v_proj"))
        .optEpochs(10)
        .optLearningRate(2e-3)
        .optBatchSize(2)
        .optMaxSequenceLength(1024)
        .optMaxSteps(steps)
        .optCheckpointEvery(checkpointEvery);
  }

  /** A new tenant, created by the platform's admin, with one member; returns the member. */
  static SignedInUser memberOfNewTenant(
      ApplicationContext app, String tenantName, String username) {
    return userOfNewTenant(app, tenantName, username, Role.MEMBER);
  }

  /**
   * A new tenant, created by the platform's admin, with one user in {@code role}, whose password is
   * {@code correct-horse-1}; returns the user.
   */
  static SignedInUser userOfNewTenant(
      ApplicationContext app, String tenantName, String username, Role role) {
    SignedInUser admin = principal(app, LocalPlatform.ADMIN_USERNAME);
    as(
        admin,
        () -> {
          UUID tenant =
              app.getBean(dev.tuneforge.app.tenancy.TenantService.class).create(tenantName).getId();
          return app.getBean(AccountService.class)
              .create(tenant, username, username, "correct-horse-1", role);
        });
    return principal(app, username);
  }

  /**
   * Registered as a static extension, remembers whether any test of the class failed, so that
   * {@link #closeAndClean} keeps the data folder for a look.
   */
  static final class Failures implements TestWatcher {
    private volatile boolean any;

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
      any = true;
    }

    boolean any() {
      return any;
    }
  }

  /**
   * The platform of one test, as a field registered with {@code @RegisterExtension}: {@link #start}
   * starts it in a new temporary data folder; after the test it is stopped, and its data folder
   * deleted when the test passed or kept for a look (logs, database) when it failed.
   */
  static final class RunningPlatform implements AfterEachCallback {
    private final String prefix;
    private @Nullable Path dataDir;
    private @Nullable LocalPlatform platform;

    /** {@code prefix} names the temporary data folder, e.g. {@code tuneforge-resume-}. */
    RunningPlatform(String prefix) {
      this.prefix = prefix;
    }

    /** The test platform with a node. */
    LocalPlatform start() throws IOException {
      return start(UnaryOperator.identity());
    }

    /**
     * The test platform with its {@link LocalPlatform.Settings#forTests} changed by {@code how}.
     */
    LocalPlatform start(UnaryOperator<LocalPlatform.Settings> how) throws IOException {
      Path data = Files.createTempDirectory(prefix);
      dataDir = data;
      LocalPlatform started = LocalPlatform.start(how.apply(LocalPlatform.Settings.forTests(data)));
      platform = started;
      return started;
    }

    LocalPlatform platform() {
      if (platform == null) {
        throw new IllegalStateException("the test's platform is not started");
      }
      return platform;
    }

    Path dataDir() {
      if (dataDir == null) {
        throw new IllegalStateException("the test's platform is not started");
      }
      return dataDir;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
      try {
        closeAndClean(platform, dataDir, context.getExecutionException().isEmpty());
      } finally {
        platform = null;
        dataDir = null;
      }
    }
  }

  /** The job's adapter files, by file name, read from storage as its member. */
  static Map<String, byte[]> adapterFiles(ApplicationContext app, SignedInUser user, UUID jobId) {
    return as(
        user,
        () -> {
          Map<String, byte[]> files = new java.util.HashMap<>();
          for (String key : app.getBean(FineTuneService.class).adapterFiles(jobId)) {
            try (java.io.InputStream in =
                app.getBean(dev.tuneforge.app.storage.ObjectStorage.class).tenantOpen(key)) {
              files.put(key.substring(key.lastIndexOf('/') + 1), in.readAllBytes());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
          return files;
        });
  }
}
