package dev.tuneforge.app.teacher;

import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.app.usage.TokenCharges;
import dev.tuneforge.app.work.TenantWork;
import dev.tuneforge.app.work.WorkContext;
import dev.tuneforge.app.work.WorkFailed;
import dev.tuneforge.app.work.WorkKind;
import dev.tuneforge.app.work.WorkRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Works through a run's pending items stage by stage, one teacher call at a time, saving each
 * result together with the items it leads to. Cancellation is checked between calls; a call that
 * fails after its retries fails only its item, and the run goes on. At most {@code
 * tuneforge.teacher.max-concurrent-runs} runs work on one instance at once; others wait their turn.
 */
@Component
class TeacherPipeline implements TenantWork<TeacherRun> {
  static final WorkKind<TeacherRun> KIND = WorkKind.of("teacher-run", TeacherRun.class);
  private static final Logger log = LoggerFactory.getLogger(TeacherPipeline.class);

  /** Extraction and judging want the teacher's best answer, not variety. */
  private static final double PRECISE = 0.0;

  /**
   * The second extraction of a run making preference pairs: the teacher sampled as chat models are
   * by default, so that it differs from the first where the teacher is unsure.
   */
  static final double SAMPLED = 1.0;

  private final TeacherItemRepository items;
  private final TeacherEndpointRepository endpoints;
  private final SecretCipher cipher;
  private final TeacherClient client;
  private final TeacherDataset dataset;
  private final TeacherPairs pairs;
  private final TransactionTemplate transactions;
  private final WorkRunner runner;
  private final TeacherProperties properties;
  private final TokenCharges charges;
  private final BudgetService budgets;

  TeacherPipeline(
      TeacherItemRepository items,
      TeacherEndpointRepository endpoints,
      SecretCipher cipher,
      TeacherClient client,
      TeacherDataset dataset,
      TeacherPairs pairs,
      TransactionTemplate transactions,
      WorkRunner runner,
      TeacherProperties properties,
      TokenCharges charges,
      BudgetService budgets) {
    this.items = items;
    this.endpoints = endpoints;
    this.cipher = cipher;
    this.client = client;
    this.dataset = dataset;
    this.pairs = pairs;
    this.transactions = transactions;
    this.runner = runner;
    this.properties = properties;
    this.charges = charges;
    this.budgets = budgets;
  }

  @Override
  public WorkKind<TeacherRun> kind() {
    return KIND.limitedTo(properties.maxConcurrentRuns(), Duration.ofSeconds(10));
  }

  /**
   * Runs a queued run (or one whose runner died) here and now, to its end or a cancellation; as its
   * tenant.
   */
  void run(UUID runId) {
    runner.runHere(KIND, runId);
  }

  @Override
  public void run(WorkContext<TeacherRun> work) {
    TeacherRun run = work.run();
    UUID runId = run.getId();
    transactions.executeWithoutResult(
        status -> {
          if (!items.existsByRunId(runId)) {
            items.save(TeacherItem.first(runId));
          }
        });
    try {
      TeacherEndpoint endpoint =
          endpoints
              .findById(run.getEndpointId())
              .orElseThrow(
                  () -> new IllegalStateException("The run's teacher endpoint no longer exists"));
      Teacher teacher =
          new Teacher(
              new TeacherClient.Target(
                  endpoint.getBaseUrl(),
                  run.getTeacherModel(),
                  cipher.decrypt(endpoint.getApiKeyCiphertext(), endpoint.getId().toString())),
              endpoint.getName(),
              endpoint.getPrices());
      ExtractionSchema schema = run.getSchema();
      for (Stage stage : Stage.values()) {
        Optional<TeacherItem> next;
        while ((next =
                items.findFirstByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
                    runId, stage, ItemStatus.PENDING))
            .isPresent()) {
          if (work.cancelRequested()) {
            work.update(
                current ->
                    current.cancel(
                        "Cancelled; resume to continue with the items not yet done", work.now()));
            return;
          }
          Optional<String> spent =
              teacher.prices().priced()
                  ? budgets.runningProblem(run.getTenantId())
                  : Optional.empty();
          if (spent.isPresent()) {
            work.update(
                current ->
                    current.cancel("Stopped: " + spent.get() + "; resume to continue", work.now()));
            return;
          }
          process(run, teacher, schema, next.get());
        }
      }
      complete(work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      work.update(
          current ->
              current.cancel("Stopped because the app shut down; resume to continue", work.now()));
    }
  }

  private void process(TeacherRun run, Teacher teacher, ExtractionSchema schema, TeacherItem item)
      throws InterruptedException {
    String prompt = promptId(run, item.getStage());
    List<TeacherItem> children = new ArrayList<>();
    try {
      switch (item.getStage()) {
        case CATEGORIES -> {
          String answer =
              call(
                  run,
                  teacher,
                  TeacherPrompts.SYSTEM,
                  TeacherPrompts.categories(run.getDomain(), schema, run.getCategories()),
                  item);
          List<String> categories = TeacherAnswers.list(answer, "categories", run.getCategories());
          for (int i = 0; i < categories.size(); i++) {
            children.add(item.child(Stage.SUBTOPICS, i, categories.get(i), null));
          }
          item.done(TeacherAnswers.JSON.writeValueAsString(categories), prompt);
        }
        case SUBTOPICS -> {
          String category = require(item.getCategory());
          String answer =
              call(
                  run,
                  teacher,
                  TeacherPrompts.SYSTEM,
                  TeacherPrompts.subtopics(
                      run.getDomain(), category, run.getSubtopicsPerCategory()),
                  item);
          List<String> subtopics =
              TeacherAnswers.list(answer, "subtopics", run.getSubtopicsPerCategory());
          int perCategory = run.getSubtopicsPerCategory() * run.getDocumentsPerSubtopic();
          for (int s = 0; s < subtopics.size(); s++) {
            for (int d = 0; d < run.getDocumentsPerSubtopic(); d++) {
              int ordinal = item.getOrdinal() * perCategory + s * run.getDocumentsPerSubtopic() + d;
              children.add(item.child(Stage.DOCUMENTS, ordinal, category, subtopics.get(s)));
            }
          }
          item.done(TeacherAnswers.JSON.writeValueAsString(subtopics), prompt);
        }
        case DOCUMENTS -> {
          int variant = item.getOrdinal() % run.getDocumentsPerSubtopic();
          String document =
              call(
                      run,
                      teacher,
                      TeacherPrompts.SYSTEM,
                      TeacherPrompts.document(
                          run.getDomain(),
                          schema,
                          require(item.getCategory()),
                          require(item.getSubtopic()),
                          variant,
                          run.getDocumentsPerSubtopic()),
                      item)
                  .strip();
          if (document.isEmpty()) {
            throw new TeacherCallFailed("The teacher wrote an empty document");
          }
          children.add(
              item.child(
                  Stage.EXTRACTION, item.getOrdinal(), item.getCategory(), item.getSubtopic()));
          item.done(document, prompt);
        }
        case EXTRACTION -> {
          String answer = ask(run, teacher, schema.systemPrompt(), document(item), PRECISE, item);
          String extraction = TeacherAnswers.JSON.writeValueAsString(TeacherAnswers.object(answer));
          children.add(
              item.child(Stage.JUDGE, item.getOrdinal(), item.getCategory(), item.getSubtopic()));
          if (run.isPreferencePairs()) {
            children.add(
                item.child(
                    Stage.SAMPLE, item.getOrdinal(), item.getCategory(), item.getSubtopic()));
          }
          item.done(extraction, prompt);
        }
        case JUDGE -> {
          TeacherAnswers.Verdict verdict = judge(run, teacher, schema, item);
          if (verdict.accepted()) {
            children.add(
                item.child(
                    Stage.FILTER, item.getOrdinal(), item.getCategory(), item.getSubtopic()));
            item.done(verdict.toJson(), prompt);
          } else {
            item.rejected(verdict.toJson(), verdict.reason(), prompt);
          }
        }
        case SAMPLE -> {
          String answer = ask(run, teacher, schema.systemPrompt(), document(item), SAMPLED, item);
          String extraction = TeacherAnswers.JSON.writeValueAsString(TeacherAnswers.object(answer));
          children.add(
              item.child(Stage.SCORE, item.getOrdinal(), item.getCategory(), item.getSubtopic()));
          item.done(extraction, prompt);
        }
        case SCORE -> item.done(judge(run, teacher, schema, item).toJson(), prompt);
        case FILTER -> {
          TeacherItem extraction = parent(parent(item));
          String problem = TeacherAnswers.filterProblem(require(extraction.getOutput()), schema);
          if (problem != null) {
            throw new TeacherCallFailed(problem);
          }
          item.done(TeacherAnswers.canonical(require(extraction.getOutput()), schema), prompt);
          item.recordProvenance(provenance(run, item));
        }
      }
    } catch (TeacherCallFailed e) {
      children.clear();
      item.failed(e.getMessage(), prompt);
    }
    transactions.executeWithoutResult(
        status -> {
          items.save(item);
          items.saveAll(children);
        });
  }

  /**
   * The judge's verdict on the extraction this item follows; with a score when the run makes
   * preference pairs.
   */
  private TeacherAnswers.Verdict judge(
      TeacherRun run, Teacher teacher, ExtractionSchema schema, TeacherItem item)
      throws TeacherCallFailed, InterruptedException {
    String extraction = require(parent(item).getOutput());
    String user =
        run.isPreferencePairs()
            ? TeacherPrompts.scoredJudge(schema, document(item), extraction)
            : TeacherPrompts.judge(schema, document(item), extraction);
    String answer = ask(run, teacher, TeacherPrompts.SYSTEM, user, PRECISE, item);
    return run.isPreferencePairs()
        ? TeacherAnswers.scoredVerdict(answer)
        : TeacherAnswers.verdict(answer);
  }

  private String call(TeacherRun run, Teacher teacher, String system, String user, TeacherItem item)
      throws TeacherCallFailed, InterruptedException {
    return ask(run, teacher, system, user, run.getTemperature(), item);
  }

  /**
   * One teacher call; the tokens it took are charged to the tenant at the endpoint's prices, as the
   * LLM judge's are.
   */
  private String ask(
      TeacherRun run,
      Teacher teacher,
      String system,
      String user,
      double temperature,
      TeacherItem item)
      throws TeacherCallFailed, InterruptedException {
    TeacherReply reply = client.reply(teacher.target(), system, user, temperature, seed(run, item));
    charges.charge(
        new TokenCharge.Charged(
            TokenCharge.TEACHER,
            run.getId(),
            null,
            teacher.endpointName(),
            run.getTeacherModel(),
            run.actingUser().userId(),
            run.actingUser().username(),
            reply.promptTokens(),
            reply.completionTokens(),
            teacher.prices(),
            Instant.now()));
    return reply.text();
  }

  /** Where the run's calls go, and what the endpoint charges for them. */
  private record Teacher(
      TeacherClient.Target target, String endpointName, TokenCharge.Prices prices) {}

  /** Each call's own seed, so a rerun with the same seed asks the same questions. */
  private static long seed(TeacherRun run, TeacherItem item) {
    return run.getSeed() + item.getStage().ordinal() * 1_000_003L + item.getOrdinal();
  }

  private String document(TeacherItem item) {
    UUID documentId = require(item.getDocumentId());
    return require(items.findById(documentId).orElseThrow().getOutput());
  }

  private TeacherItem parent(TeacherItem item) {
    return items.findById(require(item.getParentId())).orElseThrow();
  }

  /**
   * Where an output row came from: the run, its category, subtopic and document, the teacher and
   * each prompt.
   */
  private String provenance(TeacherRun run, TeacherItem filter) {
    ObjectNode node = TeacherAnswers.JSON.createObjectNode();
    node.put("runId", run.getId().toString());
    node.put("category", filter.getCategory());
    node.put("subtopic", filter.getSubtopic());
    node.put("documentItemId", String.valueOf(filter.getDocumentId()));
    node.put("teacherModel", run.getTeacherModel());
    ObjectNode prompts = node.putObject("prompts");
    ObjectNode itemIds = node.putObject("items");
    prompts.put(Stage.FILTER.name().toLowerCase(java.util.Locale.ROOT), TeacherPrompts.FILTER);
    itemIds.put(Stage.FILTER.name().toLowerCase(java.util.Locale.ROOT), filter.getId().toString());
    TeacherItem current = filter;
    while (current.getParentId() != null) {
      current = parent(current);
      String stage = current.getStage().name().toLowerCase(java.util.Locale.ROOT);
      prompts.put(stage, current.getPromptId());
      itemIds.put(stage, current.getId().toString());
    }
    return TeacherAnswers.JSON.writeValueAsString(node);
  }

  private void complete(WorkContext<TeacherRun> work) {
    List<TeacherItem> kept =
        items.findByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
            work.runId(), Stage.FILTER, ItemStatus.DONE);
    if (kept.isEmpty()) {
      throw new WorkFailed(
          "No row passed the judge and the filter; see the failures and rejections");
    }
    UUID version;
    try {
      storePairs(work);
      version = dataset.store(work, kept);
    } catch (DatasetRejected e) {
      throw new WorkFailed(
          "Dataset validation refused the rows: " + e.getMessage() + "\n" + e.report().summary());
    } catch (RuntimeException e) {
      log.warn("Teacher run {} could not store its dataset", work.runId(), e);
      throw new WorkFailed(
          "The "
              + kept.size()
              + " rows are ready but storing the dataset failed ("
              + e.getMessage()
              + "); resume to try again");
    }
    work.update(current -> current.succeed(version, work.now()));
  }

  /**
   * Stores the run's preference pairs, once: a resumed run whose pairs are stored goes on to its
   * chat rows. Ties and documents without an acceptable answer are left out, which can leave none.
   */
  private void storePairs(WorkContext<TeacherRun> work) {
    TeacherRun run = work.run();
    if (!run.isPreferencePairs() || run.getPreferenceVersionId() != null) {
      return;
    }
    List<TeacherPairs.Pair> made = pairs.pairs(run);
    if (made.isEmpty()) {
      return;
    }
    UUID version = pairs.store(work, made);
    work.update(current -> current.recordPreferenceVersion(version));
  }

  private static String promptId(TeacherRun run, Stage stage) {
    return switch (stage) {
      case CATEGORIES -> TeacherPrompts.CATEGORIES;
      case SUBTOPICS -> TeacherPrompts.SUBTOPICS;
      case DOCUMENTS -> TeacherPrompts.DOCUMENTS;
      case EXTRACTION -> TeacherPrompts.EXTRACTION;
      case JUDGE -> run.isPreferencePairs() ? TeacherPrompts.SCORED_JUDGE : TeacherPrompts.JUDGE;
      case FILTER -> TeacherPrompts.FILTER;
      case SAMPLE -> TeacherPrompts.SAMPLE;
      case SCORE -> TeacherPrompts.SCORED_JUDGE;
    };
  }

  private static <T> T require(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("A teacher item lacks what its stage needs");
    }
    return value;
  }
}
