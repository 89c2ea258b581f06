package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.teacher.TeacherEndpoint;
import dev.tuneforge.app.teacher.TeacherReply;
import dev.tuneforge.app.teacher.TeacherService;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.app.usage.TokenCharges;
import dev.tuneforge.app.work.TenantWork;
import dev.tuneforge.app.work.WorkContext;
import dev.tuneforge.app.work.WorkFailed;
import dev.tuneforge.app.work.WorkKind;
import dev.tuneforge.protocol.EvaluationExample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judges a fine-tune's evaluation, example after example: the judge sees each pair of answers
 * twice, base first and tuned first, through the teacher endpoint, and each example's judgement is
 * stored as soon as it is made, so a run started again continues where it stopped. At the end the
 * figures are computed from the stored judgements and, for extraction evaluations, the field F1 of
 * the same examples.
 */
@Component
class JudgeWork implements TenantWork<JudgeRun> {
  static final WorkKind<JudgeRun> KIND = WorkKind.of("judge-run", JudgeRun.class);

  /** Every judge call asks for the same sampling, so that a run asked again answers alike. */
  static final long SEED = 15;

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final EvaluationService evaluations;
  private final TeacherService teacher;
  private final JudgementRepository judgements;
  private final TokenCharges charges;
  private final BudgetService budgets;

  JudgeWork(
      EvaluationService evaluations,
      TeacherService teacher,
      JudgementRepository judgements,
      TokenCharges charges,
      BudgetService budgets) {
    this.evaluations = evaluations;
    this.teacher = teacher;
    this.judgements = judgements;
    this.charges = charges;
    this.budgets = budgets;
  }

  @Override
  public WorkKind<JudgeRun> kind() {
    return KIND.limitedTo(2, Duration.ofSeconds(10));
  }

  @Override
  public void run(WorkContext<JudgeRun> work) throws InterruptedException {
    JudgeRun run = work.run();
    StoredEvaluation evaluation =
        evaluations
            .find(run.getJobId())
            .filter(e -> e.base() != null)
            .orElseThrow(() -> new WorkFailed("The fine-tune has no evaluation to judge"));
    List<EvaluationExample> generations = evaluations.generations(evaluation.row());
    Map<Integer, Judgement> done =
        judgements.findByRunIdOrderByExampleIndex(run.getId()).stream()
            .collect(Collectors.toMap(Judgement::getExampleIndex, Function.identity()));
    for (int i = 0; i < generations.size(); i++) {
      if (done.containsKey(i)) {
        continue;
      }
      if (work.cancelRequested()) {
        work.update(r -> r.cancel("Cancelled; start it again to judge the rest", work.now()));
        return;
      }
      TokenCharge.Prices prices = prices(run);
      Optional<String> spent =
          prices.priced() ? budgets.runningProblem(run.getTenantId()) : Optional.empty();
      if (spent.isPresent()) {
        work.update(
            r ->
                r.cancel(
                    "Stopped: " + spent.get() + "; start it again to judge the rest", work.now()));
        return;
      }
      EvaluationExample example = generations.get(i);
      TeacherReply baseFirst = ask(run, example, example.baseOutput(), example.tunedOutput());
      TeacherReply tunedFirst = ask(run, example, example.tunedOutput(), example.baseOutput());
      Judgement judgement =
          judgements.save(
              new Judgement(
                  run.getId(),
                  i,
                  baseFirst.text(),
                  tunedFirst.text(),
                  baseFirst.promptTokens() + tunedFirst.promptTokens(),
                  baseFirst.completionTokens() + tunedFirst.completionTokens()));
      charge(run, judgement, prices, work.now());
      done.put(i, judgement);
      int count = done.size();
      work.progress(r -> r.progressed(count));
    }
    List<Judgement> all = judgements.findByRunIdOrderByExampleIndex(run.getId());
    JudgeResults results = results(all, exact(evaluation, generations));
    work.update(r -> r.succeed(JSON.writeValueAsString(results), work.now()));
  }

  /** The endpoint's prices now: a price set during a run applies from the next example on. */
  private TokenCharge.Prices prices(JudgeRun run) {
    return teacher
        .endpoint(run.getEndpointId())
        .map(TeacherEndpoint::getPrices)
        .orElse(TokenCharge.Prices.NONE);
  }

  private void charge(JudgeRun run, Judgement judgement, TokenCharge.Prices prices, Instant now) {
    charges.charge(
        new TokenCharge.Charged(
            TokenCharge.JUDGE,
            run.getId(),
            run.getJobId(),
            run.getEndpointName(),
            run.getJudgeModel(),
            run.actingUser().userId(),
            run.actingUser().username(),
            judgement.getPromptTokens(),
            judgement.getCompletionTokens(),
            prices,
            now));
  }

  private TeacherReply ask(JudgeRun run, EvaluationExample example, String first, String second)
      throws InterruptedException {
    try {
      return teacher.ask(
          run.getEndpointId(),
          JudgePrompt.SYSTEM,
          JudgePrompt.user(example.prompt(), example.expected(), first, second),
          SEED);
    } catch (IllegalArgumentException e) {
      throw new WorkFailed(
          "Judging example " + (example.index() + 1) + " failed: " + e.getMessage());
    }
  }

  /** Field F1's preference per example; null for free-text evaluations, which have no fields. */
  private @Nullable List<Preference> exact(
      StoredEvaluation evaluation, List<EvaluationExample> generations) {
    Comparison comparison = evaluations.recompute(evaluation.row(), generations).comparison();
    if (comparison == null) {
      return null;
    }
    List<Preference> exact = new ArrayList<>();
    for (ExamplePair pair : comparison.pairs()) {
      exact.add(Preference.byScore(pair.base().counts().f1(), pair.tuned().counts().f1()));
    }
    return exact;
  }

  static JudgeResults results(List<Judgement> all, @Nullable List<Preference> exact) {
    int unreadable = 0;
    for (Judgement j : all) {
      unreadable += j.getBaseFirst() == JudgeVerdict.UNREADABLE ? 1 : 0;
      unreadable += j.getTunedFirst() == JudgeVerdict.UNREADABLE ? 1 : 0;
    }
    return JudgeResults.of(
        all.stream().map(Judgement::getPreference).toList(),
        exact,
        (int) all.stream().filter(Judgement::ordersDisagree).count(),
        unreadable,
        2L * all.size(),
        all.stream().mapToLong(Judgement::getPromptTokens).sum(),
        all.stream().mapToLong(Judgement::getCompletionTokens).sum());
  }
}
