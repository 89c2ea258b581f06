package dev.tuneforge.app.teacher;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.outbound.OutboundRequests;
import dev.tuneforge.app.usage.TokenCharges;
import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.RunStatus;
import dev.tuneforge.app.work.WorkRunner;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What users do with the teacher pipeline: keep endpoints, test them, launch, watch, cancel and
 * resume runs. Everything runs as the caller's tenant; other tenants' endpoints and runs are not
 * found rather than forbidden.
 */
@Service
@EnableConfigurationProperties(TeacherProperties.class)
public class TeacherService {
  private final TeacherEndpointRepository endpoints;
  private final TeacherRunRepository runs;
  private final TeacherItemRepository items;
  private final SecretCipher cipher;
  private final TeacherClient client;
  private final WorkRunner runner;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final OutboundRequests outbound;
  private final TokenCharges charges;
  private final TeacherPairs pairs;

  TeacherService(
      TeacherEndpointRepository endpoints,
      TeacherRunRepository runs,
      TeacherItemRepository items,
      SecretCipher cipher,
      TeacherClient client,
      WorkRunner runner,
      TransactionTemplate transactions,
      Clock clock,
      OutboundRequests outbound,
      TokenCharges charges,
      TeacherPairs pairs) {
    this.endpoints = endpoints;
    this.runs = runs;
    this.items = items;
    this.cipher = cipher;
    this.client = client;
    this.runner = runner;
    this.transactions = transactions;
    this.clock = clock;
    this.outbound = outbound;
    this.charges = charges;
    this.pairs = pairs;
  }

  public List<TeacherEndpoint> endpoints() {
    return endpoints.findAllByOrderByName();
  }

  public Optional<TeacherEndpoint> endpoint(UUID id) {
    return endpoints.findById(id);
  }

  /**
   * Saves an endpoint with its API key encrypted; the key cannot be read back, only its last four
   * characters.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public TeacherEndpoint addEndpoint(String name, String baseUrl, String model, String apiKey) {
    UUID user = CurrentUser.require().userId();
    String shownName = name.strip();
    String key = apiKey.strip();
    if (shownName.isEmpty()) {
      throw new IllegalArgumentException("Give the endpoint a name");
    }
    if (endpoints.existsByNameIgnoreCase(shownName)) {
      throw new IllegalArgumentException("An endpoint called '" + shownName + "' exists already");
    }
    String url = checkedBaseUrl(baseUrl);
    if (model.isBlank()) {
      throw new IllegalArgumentException("Name the model the endpoint serves, e.g. gpt-4o-mini");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          "Enter the API key (any text for a local server that takes none)");
    }
    UUID id = UUID.randomUUID();
    String lastFour = key.length() <= 4 ? key : key.substring(key.length() - 4);
    return endpoints.save(
        new TeacherEndpoint(
            id, shownName, url, model.strip(), cipher.encrypt(key, id.toString()), lastFour, user));
  }

  /**
   * Sets what the endpoint's provider charges per 1,000 prompt and completion tokens (null: no
   * price), so that the judge's calls through it are costed, metered and held to the budget.
   *
   * @throws IllegalArgumentException for a price below 0, above 1,000 or finer than a millionth, or
   *     an endpoint that is not the caller's
   */
  public TeacherEndpoint price(
      UUID endpointId, @Nullable BigDecimal prompt, @Nullable BigDecimal completion) {
    checkPrice("prompt", prompt);
    checkPrice("completion", completion);
    TeacherEndpoint endpoint =
        endpoints
            .findById(endpointId)
            .orElseThrow(() -> new IllegalArgumentException("No such teacher endpoint"));
    endpoint.price(prompt, completion);
    return endpoints.save(endpoint);
  }

  private static void checkPrice(String what, @Nullable BigDecimal price) {
    if (price != null
        && (price.signum() < 0
            || price.compareTo(MAX_PRICE) > 0
            || price.stripTrailingZeros().scale() > 6)) {
      throw new IllegalArgumentException(
          "The price per 1,000 "
              + what
              + " tokens must be between 0 and 1000, to the millionth; not "
              + price.toPlainString());
    }
  }

  private static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1000);

  /** The currency prices are in, as usage reports them. */
  public String currency() {
    return charges.currency();
  }

  /**
   * Sends a tiny prompt to the endpoint.
   *
   * @return what the model answered
   * @throws IllegalArgumentException with the reason the call failed
   */
  public String testConnection(UUID endpointId) {
    TeacherEndpoint endpoint =
        endpoints
            .findById(endpointId)
            .orElseThrow(() -> new IllegalArgumentException("No such endpoint"));
    try {
      return client.probe(target(endpoint)).strip();
    } catch (TeacherCallFailed e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  /**
   * One chat call to the caller's endpoint, through the teacher client and the outbound-request
   * policy, retried as every teacher call is; for other features that ask a teacher something (such
   * as the evaluation's judge).
   *
   * @throws IllegalArgumentException when the endpoint is not the caller's, or with the reason the
   *     call failed after its retries
   */
  public TeacherReply ask(UUID endpointId, String system, String user, long seed)
      throws InterruptedException {
    TeacherEndpoint endpoint =
        endpoints
            .findById(endpointId)
            .orElseThrow(() -> new IllegalArgumentException("No such teacher endpoint"));
    try {
      return client.reply(target(endpoint), system, user, 0, seed);
    } catch (TeacherCallFailed e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /**
   * Saves the run and starts it in the background.
   *
   * @throws IllegalArgumentException naming what is wrong with the request
   */
  public TeacherRun launch(TeacherRunRequest request) {
    TeacherRun run = prepare(request);
    schedule(run);
    return run;
  }

  /** Validates and saves a run without starting it. */
  TeacherRun prepare(TeacherRunRequest request) {
    String problem = request.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    SignedInUser user = CurrentUser.require();
    TeacherEndpoint endpoint =
        endpoints
            .findById(request.endpointId())
            .orElseThrow(
                () -> new IllegalArgumentException("Choose one of your teacher endpoints"));
    ActingUser launcher = new ActingUser(user.userId(), user.username());
    return runs.save(new TeacherRun(request, endpoint, launcher, clock.instant()));
  }

  public List<TeacherRun> runs() {
    return runs.findAllByOrderByCreatedAtDesc();
  }

  public Optional<TeacherRun> find(UUID runId) {
    return runs.findById(runId);
  }

  /**
   * A queued run stops at once; a running one after its current teacher call, or at once if its
   * background job is gone (no runner would ever see the request).
   */
  public void cancel(UUID runId) {
    boolean jobExists = runner.isScheduled(TeacherPipeline.KIND, runId);
    transactions.executeWithoutResult(
        status -> {
          TeacherRun run =
              runs.findById(runId).orElseThrow(() -> new IllegalArgumentException("No such run"));
          if (run.getStatus() == RunStatus.QUEUED) {
            run.cancel("Cancelled before it started; resume to start it", clock.instant());
          } else if (run.getStatus() == RunStatus.RUNNING && !jobExists) {
            run.cancel(
                "Cancelled; its background job had stopped, resume to continue", clock.instant());
          } else if (run.getStatus() == RunStatus.RUNNING) {
            run.requestCancel();
          }
          runs.save(run);
        });
  }

  /**
   * Starts a cancelled or failed run again: its failed items are tried again, done items are kept.
   *
   * @throws IllegalArgumentException when the run is not one that can be resumed
   */
  public void resume(UUID runId) {
    schedule(reopen(runId));
  }

  /** Queues a cancelled or failed run again, its failed items pending, without starting it. */
  TeacherRun reopen(UUID runId) {
    return transactions.execute(
        status -> {
          TeacherRun found =
              runs.findById(runId).orElseThrow(() -> new IllegalArgumentException("No such run"));
          if (found.getStatus() != RunStatus.CANCELLED && found.getStatus() != RunStatus.FAILED) {
            throw new IllegalArgumentException("Only a cancelled or failed run can be resumed");
          }
          for (TeacherItem failed : items.findByRunIdAndStatus(runId, ItemStatus.FAILED)) {
            failed.retry();
            items.save(failed);
          }
          found.queue();
          return runs.save(found);
        });
  }

  public RunProgress progress(UUID runId) {
    TeacherRun run =
        runs.findById(runId).orElseThrow(() -> new IllegalArgumentException("No such run"));
    Map<Stage, long[]> counts = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      counts.put(stage, new long[ItemStatus.values().length]);
    }
    for (TeacherItemRepository.StageStatusCount count : items.countByStage(runId)) {
      counts.get(count.getStage())[count.getStatus().ordinal()] = count.getItems();
    }
    List<StageProgress> stages = new ArrayList<>();
    long expected = 1;
    double sum = 0;
    for (Stage stage : run.stages()) {
      long[] c = counts.get(stage);
      expected =
          switch (stage) {
            case CATEGORIES -> 1;
            case SUBTOPICS -> run.getCategories();
            case DOCUMENTS -> run.getPlannedDocuments();
            // Every extraction that the teacher answered is sampled a second time.
            case SAMPLE -> stages.get(Stage.EXTRACTION.ordinal()).done();
            default -> expected;
          };
      StageProgress progress =
          new StageProgress(
              stage,
              c[ItemStatus.DONE.ordinal()],
              c[ItemStatus.FAILED.ordinal()],
              c[ItemStatus.REJECTED.ordinal()],
              c[ItemStatus.PENDING.ordinal()],
              expected);
      stages.add(progress);
      sum += expected == 0 ? 1 : Math.min(1.0, (double) progress.finished() / expected);
      // What fails or is rejected here never reaches the next stage.
      expected = Math.max(0, expected - progress.failed() - progress.rejected());
    }
    double fraction = run.getStatus() == RunStatus.SUCCEEDED ? 1.0 : sum / run.stages().size();
    return new RunProgress(stages, fraction);
  }

  /**
   * How the run's documents turned out as preference pairs so far; empty for a run that makes none.
   */
  public Optional<PreferencePairs> preferencePairs(UUID runId) {
    return runs.findById(runId).filter(TeacherRun::isPreferencePairs).map(pairs::counts);
  }

  public List<Rejection> rejections(UUID runId) {
    return rejections(runId, Integer.MAX_VALUE);
  }

  /** The first {@code limit} extractions the judge rejected, with its reasons. */
  public List<Rejection> rejections(UUID runId, int limit) {
    List<Rejection> result = new ArrayList<>();
    for (TeacherItem judge :
        items
            .findByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
                runId, Stage.JUDGE, ItemStatus.REJECTED)
            .stream()
            .limit(limit)
            .toList()) {
      result.add(
          new Rejection(
              judge.getId(),
              judge.getCategory(),
              judge.getSubtopic(),
              output(judge.getDocumentId()),
              output(judge.getParentId()),
              judge.getReason() == null ? "" : judge.getReason()));
    }
    return result;
  }

  /**
   * Items that failed (after retries, or with an answer that was not what was asked for), with the
   * reason.
   */
  public List<TeacherItem> failures(UUID runId) {
    return items.findByRunIdAndStatus(runId, ItemStatus.FAILED).stream()
        .sorted(Comparator.comparing(TeacherItem::getStage).thenComparing(TeacherItem::getOrdinal))
        .toList();
  }

  /**
   * The run's output rows so far: extractions the judge accepted and the filter kept, with their
   * provenance.
   */
  public List<OutputRow> rows(UUID runId) {
    return rows(runId, Integer.MAX_VALUE);
  }

  /** The first {@code limit} output rows. */
  public List<OutputRow> rows(UUID runId, int limit) {
    List<OutputRow> result = new ArrayList<>();
    for (TeacherItem row :
        items
            .findByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
                runId, Stage.FILTER, ItemStatus.DONE)
            .stream()
            .limit(limit)
            .toList()) {
      result.add(
          new OutputRow(
              row.getId(),
              String.valueOf(row.getCategory()),
              String.valueOf(row.getSubtopic()),
              output(row.getDocumentId()),
              String.valueOf(row.getOutput()),
              String.valueOf(row.getProvenance())));
    }
    return result;
  }

  private String output(@org.jspecify.annotations.Nullable UUID itemId) {
    return itemId == null ? "" : items.findById(itemId).map(TeacherItem::getOutput).orElse("");
  }

  private TeacherClient.Target target(TeacherEndpoint endpoint) {
    return new TeacherClient.Target(
        endpoint.getBaseUrl(),
        endpoint.getModel(),
        cipher.decrypt(endpoint.getApiKeyCiphertext(), endpoint.getId().toString()));
  }

  void schedule(TeacherRun run) {
    runner.submit(TeacherPipeline.KIND, run.getId());
  }

  /**
   * A base URL the outbound policy accepts and whose completions URL stays under it.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  String checkedBaseUrl(String baseUrl) {
    String url = outbound.checkedUrl(baseUrl).toString();
    TeacherClient.completionsUri(url);
    return url;
  }
}
