package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.teacher.FakeOpenAiEndpoint;
import dev.tuneforge.app.teacher.TeacherEndpoint;
import dev.tuneforge.app.teacher.TeacherService;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.app.usage.UsageReport;
import dev.tuneforge.app.usage.UsageReports;
import dev.tuneforge.app.work.RunStatus;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobFolder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The LLM judge through a fake OpenAI-compatible endpoint, on real PostgreSQL and S3: every pair
 * judged in both orders, a judge biased to the first position turned into ties, agreement with
 * field F1 on the same examples, the tokens counted, a failed run continued where it stopped, and
 * no other tenant sees or starts anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:fake-teacher.properties")
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class JudgeIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EXPECTED = "{\"a\":\"1\",\"b\":\"2\"}";
  private static final String WRONG = "{\"a\":\"9\",\"b\":\"9\"}";

  @Autowired JudgeService judge;
  @Autowired EvaluationService evaluations;
  @Autowired TeacherService teacher;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired BudgetService budgets;
  @Autowired UsageReports reports;
  @TempDir Path temp;

  private FakeOpenAiEndpoint fake;

  @BeforeEach
  void startFake() throws IOException {
    fake = new FakeOpenAiEndpoint();
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }

  /**
   * Six examples, base vs tuned: tuned right twice, both right, base right, tuned half right, and
   * tuned right where the base gives the same JSON spaced differently (equal on field F1).
   */
  private static List<EvaluationExample> generations() {
    return List.of(
        EvaluationScoresTest.example(0, EXPECTED, WRONG, EXPECTED),
        EvaluationScoresTest.example(1, EXPECTED, WRONG, EXPECTED),
        EvaluationScoresTest.example(2, EXPECTED, EXPECTED, EXPECTED),
        EvaluationScoresTest.example(3, EXPECTED, EXPECTED, WRONG),
        EvaluationScoresTest.example(4, EXPECTED, WRONG, "{\"a\":\"1\",\"b\":\"9\"}"),
        EvaluationScoresTest.example(5, EXPECTED, "{\"a\": \"1\", \"b\": \"2\"}", EXPECTED));
  }

  @Test
  void eachPairIsJudgedInBothOrdersAndReportedWithIntervalsAgreementAndTokens() throws Exception {
    Setup a = setup("judged");
    JudgeRun run = a.call(() -> judge.launch(a.job, a.endpoint));
    JudgeRun done = awaitEnded(a, run.getId());

    assertThat(done.getStatus()).as(String.valueOf(done.getError())).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fake.calls("pairwise")).isEqualTo(12);
    String baseFirst = "[Answer A]\n" + WRONG + "\n\n[Answer B]\n" + EXPECTED;
    String tunedFirst = "[Answer A]\n" + EXPECTED + "\n\n[Answer B]\n" + WRONG;
    assertThat(fake.prompts().stream().filter(p -> p.contains("user: receipt 0\n")))
        .as("example 0 shown once in each order, with the system prompt and the reference")
        .hasSize(2)
        .allMatch(p -> p.startsWith(JudgePrompt.SYSTEM))
        .allMatch(p -> p.contains("[Reference answer]\n" + EXPECTED))
        .anyMatch(p -> p.contains(baseFirst))
        .anyMatch(p -> p.contains(tunedFirst));

    JudgeResults results = a.call(() -> judge.results(done)).orElseThrow();
    assertThat(results.tunedWins()).isEqualTo(3);
    assertThat(results.ties()).isEqualTo(2);
    assertThat(results.baseWins()).isEqualTo(1);
    assertThat(results.orderDisagreements()).isZero();
    assertThat(results.winInterval().low()).isLessThanOrEqualTo(0.5);
    assertThat(results.winInterval().high()).isGreaterThanOrEqualTo(0.5);
    // Field F1 prefers tuned on 0, 1 and 4, base on 3, neither on 2 and 5; the judge (exact text)
    // prefers neither on 4 and tuned on 5.
    assertThat(results.agreement()).isEqualTo(4 / 6.0);
    assertThat(results.decisive()).isEqualTo(4);
    assertThat(results.decisiveAgreed()).isEqualTo(3);

    List<Judgement> judgements = a.call(() -> judge.judgements(done.getId()));
    assertThat(judgements)
        .extracting(Judgement::getPreference)
        .containsExactly(
            Preference.TUNED,
            Preference.TUNED,
            Preference.TIE,
            Preference.BASE,
            Preference.TIE,
            Preference.TUNED);
    assertThat(judgements.getFirst().getBaseFirstAnswer()).contains("\"winner\": \"B\"");
    long promptTokens = fake.prompts().stream().mapToLong(p -> (p.length() - 1) / 4).sum();
    assertThat(results.calls()).isEqualTo(12);
    assertThat(results.promptTokens()).as("as the endpoint reported them").isEqualTo(promptTokens);
    assertThat(results.completionTokens()).isPositive();
  }

  @Test
  void aJudgeThatAlwaysPrefersTheFirstAnswerGivesOnlyTies() throws Exception {
    Setup a = setup("biased");
    fake.pairJudge(FakeOpenAiEndpoint.FIRST_POSITION);
    JudgeRun done = awaitEnded(a, a.call(() -> judge.launch(a.job, a.endpoint)).getId());

    JudgeResults results = a.call(() -> judge.results(done)).orElseThrow();
    assertThat(results.tunedWins()).isZero();
    assertThat(results.baseWins()).isZero();
    assertThat(results.ties()).isEqualTo(6);
    assertThat(results.orderDisagreements()).isEqualTo(6);
    assertThat(results.sentence()).startsWith("No clear preference");
    assertThat(a.call(() -> judge.judgements(done.getId())))
        .allMatch(j -> j.getBaseFirst() == JudgeVerdict.A && j.getTunedFirst() == JudgeVerdict.A);
  }

  @Test
  void aFailedRunSaysWhichExampleAndContinuesWhereItStopped() throws Exception {
    Setup a = setup("failing");
    // Three 500s in a row: the first call and its two retries.
    fake.transientErrors(3);
    JudgeRun failed = awaitEnded(a, a.call(() -> judge.launch(a.job, a.endpoint)).getId());
    assertThat(failed.getStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(failed.getError()).startsWith("Judging example 1 failed: Tried 3 times.");
    assertThat(a.call(() -> judge.judgements(failed.getId()))).isEmpty();

    JudgeRun again = a.call(() -> judge.launch(a.job, a.endpoint));
    assertThat(again.getId()).as("the same run, continued").isEqualTo(failed.getId());
    JudgeRun done = awaitEnded(a, again.getId());
    assertThat(done.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fake.calls("pairwise")).isEqualTo(12);
    assertThat(a.call(() -> judge.judgements(done.getId()))).hasSize(6);
  }

  @Test
  void noOtherTenantSeesOrStartsAJudgeRun() throws Exception {
    Setup a = setup("owner");
    Setup b = setup("other");
    JudgeRun run = awaitEnded(a, a.call(() -> judge.launch(a.job, a.endpoint)).getId());

    assertThat(b.call(() -> judge.latest(a.job))).isEmpty();
    assertThat(b.call(() -> judge.judgements(run.getId()))).isEmpty();
    assertThatThrownBy(() -> b.call(() -> judge.launch(a.job, b.endpoint)))
        .hasMessage("No such fine-tune");
    assertThatThrownBy(() -> b.call(() -> judge.launch(b.job, a.endpoint)))
        .hasMessage("Choose one of your teacher endpoints");
    assertThat(a.call(() -> judge.latest(a.job))).map(JudgeRun::getId).contains(run.getId());
    assertThat(
            jdbc.sql("select count(*) from judgement where run_id = ? and tenant_id <> ?")
                .params(run.getId(), a.tenant)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void aFineTuneWithoutAnEvaluationCannotBeJudged() {
    Setup a = setup("unevaluated");
    UUID bare =
        new TestRows(jdbc).job(a.tenant, a.user.userId(), a.model, a.version, "bare", "succeeded");
    assertThatThrownBy(() -> a.call(() -> judge.launch(bare, a.endpoint)))
        .hasMessage("This fine-tune has no evaluation to judge");
  }

  @Test
  void aPricedEndpointsJudgementsAreChargedCountedAndHeldToTheBudget() throws Exception {
    Setup a = setup("priced");
    a.call(() -> teacher.price(a.endpoint, new BigDecimal("0.5"), new BigDecimal("1.5")));
    JudgeEstimate before = a.call(() -> judge.estimate(a.job, a.endpoint));
    assertThat(before.examples()).isEqualTo(6);
    assertThat(before.priced()).isTrue();
    assertThat(before.cost()).isPositive();

    JudgeRun done = awaitEnded(a, a.call(() -> judge.launch(a.job, a.endpoint)).getId());
    assertThat(done.getStatus()).as(done.getError()).isEqualTo(RunStatus.SUCCEEDED);
    JudgeResults results = a.call(() -> judge.results(done)).orElseThrow();
    BigDecimal cost =
        new BigDecimal("0.5")
            .multiply(BigDecimal.valueOf(results.promptTokens()))
            .add(new BigDecimal("1.5").multiply(BigDecimal.valueOf(results.completionTokens())))
            .divide(BigDecimal.valueOf(1000), 6, java.math.RoundingMode.HALF_UP);
    assertThat(a.call(() -> judge.cost(done))).isEqualTo(Money.format(cost, "USD"));
    assertThat(budgets.spend(a.tenant, budgets.currentMonth()))
        .as("the judge's tokens count against the budget")
        .isEqualByComparingTo(cost);
    UsageReport report = a.call(() -> reports.report(budgets.currentMonth()));
    assertThat(report.byKind().get(TokenCharge.JUDGE)).isEqualByComparingTo(cost);
    assertThat(report.tokenLines())
        .hasSize(6)
        .allMatch(l -> l.what().equals("judge · judge-model"));

    // Budgets are in cents: the spend rounded up leaves less than another run's cost.
    jdbc.sql("update tenant set monthly_budget = ? where id = ?")
        .params(cost.setScale(2, java.math.RoundingMode.UP), a.tenant)
        .update();
    assertThatThrownBy(() -> a.call(() -> judge.launch(a.job, a.endpoint)))
        .as("judged again, the run would cost what the first did: beyond the budget")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not started: the tenant's monthly budget of")
        .hasMessageContaining("plus this judge run's estimate of")
        .hasMessageContaining("6 examples");

    Setup b = setup("unpriced");
    assertThat(budgets.spend(b.tenant, budgets.currentMonth()))
        .as("another tenant pays nothing of it")
        .isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(b.call(() -> reports.report(budgets.currentMonth())).tokenLines()).isEmpty();
  }

  private JudgeRun awaitEnded(Setup who, UUID runId) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JudgeRun current = who.call(() -> judge.latest(who.job)).orElseThrow();
    while (current.isActive() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      current = who.call(() -> judge.latest(who.job)).orElseThrow();
    }
    assertThat(current.getId()).isEqualTo(runId);
    return current;
  }

  /** A tenant with a member, a fine-tune whose evaluation is stored, and the fake as endpoint. */
  private Setup setup(String name) {
    TestRows db = new TestRows(jdbc);
    SignedInUser user = db.member(name);
    UUID model = db.model(name + "-model-" + UUID.randomUUID());
    UUID version = db.datasetVersion(user.tenantId(), user.userId(), 10, 1000);
    UUID job = db.job(user.tenantId(), user.userId(), model, version, name + " job", "succeeded");
    Setup setup = new Setup(user.tenantId(), user, model, version, job, null);
    String prefix = ObjectKeys.jobEvaluation(user.tenantId(), job, null);
    put(prefix + JobFolder.GENERATIONS, lines(generations()));
    put(
        prefix + JobFolder.SUMMARY,
        JSON.writeValueAsString(new EvaluationSummary(6, "greedy", 64, null, null, 2.0, 84, null)));
    setup.call(() -> evaluations.ingest(job)).orElseThrow();
    TeacherEndpoint endpoint =
        setup.call(() -> teacher.addEndpoint("judge", fake.baseUrl(), "judge-model", "sk-x"));
    return new Setup(user.tenantId(), user, model, version, job, endpoint.getId());
  }

  private static String lines(List<EvaluationExample> examples) {
    List<String> lines = new ArrayList<>();
    examples.forEach(e -> lines.add(JSON.writeValueAsString(e)));
    return String.join("\n", lines) + "\n";
  }

  private void put(String key, String text) {
    try {
      Path file = Files.createTempFile(temp, "object", ".json");
      Files.writeString(file, text);
      storage.put(key, file, "application/json");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private record Setup(
      UUID tenant,
      SignedInUser user,
      UUID model,
      UUID version,
      UUID job,
      @org.jspecify.annotations.Nullable UUID endpoint) {
    <T> T call(Supplier<T> work) {
      return TestRows.as(user, () -> TenantContext.callAs(tenant, work));
    }
  }
}
