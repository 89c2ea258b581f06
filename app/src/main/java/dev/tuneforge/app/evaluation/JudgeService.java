package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.teacher.TeacherEndpoint;
import dev.tuneforge.app.teacher.TeacherService;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.TokenCharges;
import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.RunStatus;
import dev.tuneforge.app.work.WorkRunner;
import dev.tuneforge.protocol.EvaluationExample;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The LLM judge of an evaluation, off until a member starts it with one of the tenant's teacher
 * endpoints: it runs in the background ({@link JudgeWork}), and its figures are read here.
 * Everything runs as the caller's tenant; another tenant's runs are not found.
 */
@Service
public class JudgeService {
  private final JudgeRunRepository runs;
  private final JudgementRepository judgements;
  private final EvaluationService evaluations;
  private final FineTuneService fineTunes;
  private final TeacherService teacher;
  private final WorkRunner runner;
  private final TransactionTemplate transactions;
  private final BudgetService budgets;
  private final TokenCharges charges;
  private final Clock clock;

  JudgeService(
      JudgeRunRepository runs,
      JudgementRepository judgements,
      EvaluationService evaluations,
      FineTuneService fineTunes,
      TeacherService teacher,
      WorkRunner runner,
      TransactionTemplate transactions,
      BudgetService budgets,
      TokenCharges charges,
      Clock clock) {
    this.runs = runs;
    this.judgements = judgements;
    this.evaluations = evaluations;
    this.fineTunes = fineTunes;
    this.teacher = teacher;
    this.runner = runner;
    this.transactions = transactions;
    this.budgets = budgets;
    this.charges = charges;
    this.clock = clock;
  }

  /** The teacher endpoints the caller may judge with. */
  public List<TeacherEndpoint> endpoints() {
    return teacher.endpoints();
  }

  /**
   * Starts judging the fine-tune's evaluation with the endpoint in the background. A failed or
   * cancelled run with the same endpoint continues, keeping the examples it judged; otherwise a new
   * run starts.
   *
   * @throws IllegalArgumentException naming what is wrong: no such fine-tune, no evaluation, not
   *     the caller's endpoint, a run under way, or (for a priced endpoint) a monthly budget its
   *     estimate would exceed
   */
  public JudgeRun launch(UUID jobId, UUID endpointId) {
    SignedInUser user = CurrentUser.require();
    fineTunes.find(jobId).orElseThrow(() -> new IllegalArgumentException("No such fine-tune"));
    StoredEvaluation evaluation = judgeable(jobId);
    TeacherEndpoint endpoint = endpoint(endpointId);
    JudgeEstimate estimate = estimate(evaluation, endpoint);
    if (estimate.priced()) {
      budgets
          .problem(TenantContext.requireTenant(), estimate.cost(), "this judge run's estimate")
          .ifPresent(
              reason -> {
                throw new IllegalArgumentException(
                    "Not started: " + reason + " (" + estimate.describe() + ")");
              });
    }
    return transactions.execute(
        status -> {
          Optional<JudgeRun> latest = runs.findFirstByJobIdOrderByCreatedAtDesc(jobId);
          if (latest.isPresent() && latest.get().isActive()) {
            throw new IllegalArgumentException(
                "The evaluation is being judged already; wait for it or cancel it");
          }
          JudgeRun run =
              latest
                  .filter(r -> r.getStatus() != RunStatus.SUCCEEDED)
                  .filter(r -> r.getEndpointId().equals(endpointId))
                  .orElseGet(
                      () ->
                          new JudgeRun(
                              jobId,
                              endpointId,
                              endpoint.getName(),
                              endpoint.getModel(),
                              evaluation.row().getExamples(),
                              new ActingUser(user.userId(), user.username()),
                              clock.instant()));
          run.queue();
          JudgeRun saved = runs.save(run);
          runner.submit(JudgeWork.KIND, saved.getId());
          return saved;
        });
  }

  /**
   * What judging the fine-tune's evaluation with the endpoint would cost now: the examples a run
   * with that endpoint left unjudged, or all of them.
   *
   * @throws IllegalArgumentException when the fine-tune has no evaluation or the endpoint is not
   *     the caller's
   */
  public JudgeEstimate estimate(UUID jobId, UUID endpointId) {
    StoredEvaluation evaluation = judgeable(jobId);
    return estimate(evaluation, endpoint(endpointId));
  }

  private StoredEvaluation judgeable(UUID jobId) {
    return evaluations
        .find(jobId)
        .filter(e -> e.base() != null)
        .orElseThrow(
            () -> new IllegalArgumentException("This fine-tune has no evaluation to judge"));
  }

  private TeacherEndpoint endpoint(UUID endpointId) {
    return teacher
        .endpoint(endpointId)
        .orElseThrow(() -> new IllegalArgumentException("Choose one of your teacher endpoints"));
  }

  private JudgeEstimate estimate(StoredEvaluation evaluation, TeacherEndpoint endpoint) {
    UUID jobId = evaluation.row().getJobId();
    List<Judgement> judged =
        runs.findByJobId(jobId).stream()
            .flatMap(r -> judgements.findByRunIdOrderByExampleIndex(r.getId()).stream())
            .toList();
    Set<Integer> skipped =
        runs.findFirstByJobIdOrderByCreatedAtDesc(jobId)
            .filter(r -> r.getStatus() != RunStatus.SUCCEEDED)
            .filter(r -> r.getEndpointId().equals(endpoint.getId()))
            .map(
                r ->
                    judgements.findByRunIdOrderByExampleIndex(r.getId()).stream()
                        .map(Judgement::getExampleIndex)
                        .collect(Collectors.toSet()))
            .orElse(Set.of());
    List<EvaluationExample> generations = evaluations.generations(evaluation.row());
    List<EvaluationExample> left =
        IntStream.range(0, generations.size())
            .filter(i -> !skipped.contains(i))
            .mapToObj(generations::get)
            .toList();
    return JudgeEstimate.of(left, judged, endpoint.getPrices(), charges.currency());
  }

  /** What a run bought from its endpoint so far, in money. */
  public String cost(JudgeRun run) {
    return Money.format(charges.costOf(run.getId()), charges.currency());
  }

  /** The fine-tune's latest judge run, if it has one and is the caller's. */
  public Optional<JudgeRun> latest(UUID jobId) {
    return runs.findFirstByJobIdOrderByCreatedAtDesc(jobId);
  }

  /** A finished run's figures; empty until it succeeded. */
  public Optional<JudgeResults> results(JudgeRun run) {
    return Optional.ofNullable(run.getResults())
        .map(json -> JudgeWork.JSON.readValue(json, JudgeResults.class));
  }

  /** The run's judgements so far, by example. */
  public List<Judgement> judgements(UUID runId) {
    return runs.findById(runId)
        .map(r -> judgements.findByRunIdOrderByExampleIndex(r.getId()))
        .orElse(List.of());
  }

  /** Asks a queued or running run to stop after the example it is judging. */
  public void cancel(UUID runId) {
    transactions.executeWithoutResult(
        status ->
            runs.findById(runId)
                .filter(JudgeRun::isActive)
                .ifPresent(
                    run -> {
                      run.requestCancel();
                      runs.save(run);
                    }));
  }
}
